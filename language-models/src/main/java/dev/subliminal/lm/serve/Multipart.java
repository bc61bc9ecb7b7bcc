package dev.subliminal.lm.serve;

import dev.subliminal.lm.backend.ApiException;
import dev.subliminal.results.Texts;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) as HTTP clients send file uploads: parts separated
 * by {@code --boundary} lines, each with headers (its {@code Content-Disposition} gives the field
 * name and, for files, the file name), a blank line, and the content up to CRLF before the next
 * boundary.
 */
final class Multipart {

    /** One field: its name, the file name (null for plain fields) and its bytes. */
    record Part(String name, String fileName, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private Multipart() {
    }

    /** The parts by field name. */
    static Map<String, Part> parse(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.badRequest(null, "uploads must be multipart/form-data, not "
                    + (contentType == null ? "a body without Content-Type" : Texts.quote(contentType)));
        }
        Matcher bm = BOUNDARY.matcher(contentType);
        if (!bm.find()) {
            throw ApiException.badRequest(null, "the multipart Content-Type has no boundary");
        }
        byte[] delimiter = ("--" + (bm.group(2) != null ? bm.group(2) : bm.group(3))).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw ApiException.badRequest(null, "the multipart body holds no boundary line");
        }
        while (true) {
            int lineEnd = at + delimiter.length;
            if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
                break;
            }
            int headersStart = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            if (headersStart < 0 || headersEnd < 0) {
                throw ApiException.badRequest(null, "a multipart part has no header block");
            }
            // the blank line may follow the boundary line at once: a part without headers
            String headers = headersEnd == headersStart ? ""
                    : new String(body, headersStart + 2, headersEnd - headersStart - 2, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            byte[] next = ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw ApiException.badRequest(null, "a multipart part is not closed by its boundary");
            }
            String disposition = null;
            for (String h : headers.split("\r\n")) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    disposition = h;
                }
            }
            if (disposition == null) {
                throw ApiException.badRequest(null, "a multipart part has no Content-Disposition");
            }
            Matcher nm = NAME.matcher(disposition);
            if (!nm.find()) {
                throw ApiException.badRequest(null, "a multipart part has no field name");
            }
            Matcher fm = FILENAME.matcher(disposition);
            byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
            parts.put(nm.group(1), new Part(nm.group(1), fm.find() ? fm.group(1) : null, content));
            at = contentEnd + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
