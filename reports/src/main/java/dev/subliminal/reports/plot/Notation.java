package dev.subliminal.reports.plot;

import java.awt.Font;
import java.awt.font.TextAttribute;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's notation set as it is printed: {@code Δ_S} with a subscript S, {@code Δ_S^c} with a
 * superscript c. Text marks a subscript with {@code _} and a superscript with {@code ^}, each taking
 * the next character or a {@code {group}}; the marks never reach a figure.
 */
public final class Notation {

    private Notation() {
    }

    /** A span of text, raised (1), lowered (−1) or on the line (0). */
    private record Run(String text, int shift) {
    }

    private static List<Run> runs(String markup) {
        List<Run> runs = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < markup.length()) {
            char c = markup.charAt(i);
            if ((c == '_' || c == '^') && i + 1 < markup.length()) {
                String group;
                if (markup.charAt(i + 1) == '{' && markup.indexOf('}', i + 2) > 0) {
                    int end = markup.indexOf('}', i + 2);
                    group = markup.substring(i + 2, end);
                    i = end + 1;
                } else {
                    int cp = markup.codePointAt(i + 1);
                    group = new String(Character.toChars(cp));
                    i += 1 + Character.charCount(cp);
                }
                if (plain.length() > 0) {
                    runs.add(new Run(plain.toString(), 0));
                    plain.setLength(0);
                }
                runs.add(new Run(group, c == '_' ? -1 : 1));
            } else {
                plain.append(c);
                i++;
            }
        }
        if (plain.length() > 0) {
            runs.add(new Run(plain.toString(), 0));
        }
        return runs;
    }

    /** The text without marks: {@code Δ_S^c} gives {@code ΔSc}. */
    public static String plain(String markup) {
        StringBuilder s = new StringBuilder();
        runs(markup).forEach(r -> s.append(r.text()));
        return s.toString();
    }

    /** The text in {@code font} with its subscripts and superscripts set as such. */
    public static AttributedString attributed(String markup, Font font) {
        List<Run> runs = runs(markup);
        AttributedString a = new AttributedString(plain(markup));
        int start = 0;
        for (Run r : runs) {
            int end = start + r.text().length();
            if (end > start) {
                a.addAttributes(font.getAttributes(), start, end);
                if (r.shift() != 0) {
                    a.addAttribute(TextAttribute.SUPERSCRIPT, r.shift() < 0 ? TextAttribute.SUPERSCRIPT_SUB
                            : TextAttribute.SUPERSCRIPT_SUPER, start, end);
                }
            }
            start = end;
        }
        return a;
    }
}
