package dev.subliminal.results;

/** Text shown to a user: values quoted in messages are cut to a readable length. */
public final class Texts {

    /** The longest value quoted whole in a message. */
    public static final int QUOTE_LIMIT = 120;

    private Texts() {
    }

    /**
     * {@code s} itself when it has at most {@code max} characters; else its beginning and end with
     * the number of characters left out, e.g. {@code 0.1111… [1048570 more characters] …1111}.
     */
    public static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int head = Math.max(1, max * 2 / 3);
        int tail = Math.max(1, max - head);
        return s.substring(0, head) + "… [" + (s.length() - head - tail) + " more characters] …"
                + s.substring(s.length() - tail);
    }

    /**
     * A value for a message: at most {@link #QUOTE_LIMIT} characters of it, with line breaks and other
     * control characters escaped (a line feed as backslash-n, others as a backslash-u code) so that the
     * message stays one line.
     */
    public static String quote(Object value) {
        return oneLine(abbreviate(String.valueOf(value), QUOTE_LIMIT));
    }

    /** {@code s} with its control characters and line separators escaped as in Java source. */
    public static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
