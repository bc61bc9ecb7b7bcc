package dev.subliminal.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A folder of files as one fuzz input: for each file, one byte n, the n bytes of its name (ASCII),
 * four bytes of its length (big-endian; cut to the bytes left) and its content. Names other than
 * letters, digits, '.', '-' and '_' (and "." or "..") are skipped when unpacking, so that a folder
 * always unpacks inside the scratch folder.
 */
final class FolderArchive {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private FolderArchive() {
    }

    /** The files of {@code folder} (not its subfolders), by name order. */
    static byte[] pack(Path folder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            Map<String, Path> sorted = new java.util.TreeMap<>();
            files.forEach(p -> sorted.put(p.getFileName().toString(), p));
            for (Map.Entry<String, Path> e : sorted.entrySet()) {
                if (!Files.isRegularFile(e.getValue())) {
                    continue;
                }
                byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
                byte[] content = Files.readAllBytes(e.getValue());
                out.write(name.length);
                out.write(name);
                out.write(new byte[] {(byte) (content.length >>> 24), (byte) (content.length >>> 16),
                        (byte) (content.length >>> 8), (byte) content.length});
                out.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The files of {@code data} (a later file of the same name replaces an earlier one). */
    static Map<String, byte[]> unpack(byte[] data) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int at = 0;
        while (at < data.length) {
            int n = data[at++] & 0xff;
            String name = new String(data, at, Math.min(n, data.length - at), StandardCharsets.ISO_8859_1);
            at = Math.min(at + n, data.length);
            long length = 0;
            for (int i = 0; i < 4 && at < data.length; i++) {
                length = length << 8 | (data[at++] & 0xff);
            }
            int end = (int) Math.min(at + length, data.length);
            if (NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..")) {
                files.put(name, Arrays.copyOfRange(data, at, end));
            }
            at = end;
        }
        return files;
    }
}
