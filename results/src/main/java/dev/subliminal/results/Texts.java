package dev.subliminal.results;

/** Text shown to a user: values quoted in messages are cut to a readable length; numbers in a few characters. */
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

    /** A value for a message: at most {@link #QUOTE_LIMIT} characters of it. */
    public static String quote(Object value) {
        return abbreviate(String.valueOf(value), QUOTE_LIMIT);
    }

    /**
     * A setting's value in at most 3 significant digits without trailing zeros: {@code 0.01},
     * {@code 1e-4}, {@code 20}, {@code 0.333}; {@code n/a} for NaN.
     */
    public static String compact(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.3g", v)).stripTrailingZeros()
                    .toPlainString();
        }
        String s = String.format(java.util.Locale.ROOT, "%.2e", v);
        String mantissa = new java.math.BigDecimal(s.substring(0, s.indexOf('e'))).stripTrailingZeros().toPlainString();
        return mantissa + "e" + Integer.parseInt(s.substring(s.indexOf('e') + 1));
    }
}
