package dev.subliminal.reports.html;

import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page built in order: headings, paragraphs, tables, preformatted text and
 * figures whose PNG is inlined as a data URI, so the page needs no network and no other file.
 * Every text is escaped.
 */
public final class HtmlPage {

    private static final String STYLE = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1320px;
                   color: #222; line-height: 1.4; padding: 0 1em; }
            p, h1, h2, h3, details { max-width: 60em; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
            .scroll { overflow-x: auto; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
            th:first-child, td:first-child { text-align: left; white-space: normal; min-width: 10em; max-width: 24em; }
            th { white-space: normal; max-width: 12em; }
            th { background: #f4f4f4; }
            pre { background: #f8f8f8; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            figure { margin: 1em 0 2em; }
            figure img { width: 720px; max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: 0.9em; max-width: 720px; }
            .note { color: #555; font-size: 0.9em; }
            .nw { white-space: nowrap; }
            """;

    private final StringBuilder body = new StringBuilder();
    private final String title;

    /** A page with this title. */
    public HtmlPage(String title) {
        this.title = title;
        heading(1, title);
    }

    /** A heading of level 1–3. */
    public HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph; {@code note} paragraphs are set smaller. */
    public HtmlPage paragraph(String text, boolean note) {
        body.append(note ? "<p class=\"note\">" : "<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * A table with a header row. Cells wrap only where a value and its interval meet (a space),
     * never inside an interval, so that a wide table narrows before it scrolls.
     */
    public HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<div class=\"scroll\"><table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h.replace("[95% CI]", "[95%\u00a0CI]"))).append("</th>"));
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                body.append("<td>").append(i == 0 ? escape(r.get(i)) : unbroken(r.get(i))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /**
     * A value cell: a value and its interval ({@code 8.17e-06 [6.95e-06, 9.05e-06]}) may break only
     * between them, each kept whole.
     */
    private static String unbroken(String cell) {
        int bracket = cell.indexOf(" [");
        if (bracket < 0) {
            return "<span class=\"nw\">" + escape(cell) + "</span>";
        }
        return "<span class=\"nw\">" + escape(cell.substring(0, bracket)) + "</span> <span class=\"nw\">"
                + escape(cell.substring(bracket + 1)) + "</span>";
    }

    /** Preformatted text folded under a summary line. */
    public HtmlPage folded(String summary, String text) {
        body.append("<details><summary>").append(escape(summary)).append("</summary><pre>").append(escape(text))
                .append("</pre></details>\n");
        return this;
    }

    /**
     * A figure: the PNG inline at 720 CSS pixels wide and {@code height} high (the figure carries
     * its caption inside it too), the caption, and links to the figure's files beside the page.
     */
    public HtmlPage figure(byte[] png, String alt, String caption, int height, List<String> files) {
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" width=\"720\" height=\"").append(height)
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\">\n<figcaption>").append(escape(caption.replace('\n', ' ')));
        if (!files.isEmpty()) {
            body.append(" Files:");
            files.forEach(f -> body.append(" <a href=\"").append(escape(f)).append("\">").append(escape(f))
                    .append("</a>"));
        }
        body.append("</figcaption></figure>\n");
        return this;
    }

    /** The complete document. */
    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /** {@code text} with &amp;, &lt;, &gt; and quotes escaped. */
    public static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
