package dev.subliminal.reports.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.util.List;
import java.util.Locale;

/**
 * The one palette of every figure, from the Okabe–Ito colour-blind-safe set, with one meaning per
 * colour across plots and reports: colour always says where the student started (the
 * initialization), the category every question of the toolkit turns on, and nothing else.
 *
 * <ul>
 *   <li>same init (θ_S0 = θ0): bluish green {@code #009E73};</li>
 *   <li>perturbed init (θ0 + σξ): orange {@code #E69F00};</li>
 *   <li>independent init: vermillion {@code #D55E00};</li>
 *   <li>a student of another architecture: reddish purple {@code #CC79A7};</li>
 *   <li>anything measured without an initialization to tell apart (one series, certified ε*, the
 *       teacher and the untrained reference): blue {@code #0072B2};</li>
 *   <li>the paper's values and reference lines (chance): black and grey.</li>
 * </ul>
 *
 * A second category in the same plot (the loss, the optimizer, the labels) is told apart by the line's
 * dash pattern and the marker's shape, never by colour.
 */
public final class Palette {

    /** Same init. */
    public static final Color SAME = new Color(0x009E73);
    /** Perturbed init. */
    public static final Color PERTURBED = new Color(0xE69F00);
    /** Independent init. */
    public static final Color INDEPENDENT = new Color(0xD55E00);
    /** Another architecture. */
    public static final Color OTHER_ARCHITECTURE = new Color(0xCC79A7);
    /** No initialization to tell apart. */
    public static final Color MEASURED = new Color(0x0072B2);
    /** The paper's values. */
    public static final Color PAPER = Color.BLACK;
    /** Reference lines such as chance. */
    public static final Color REFERENCE = new Color(0x777777);

    /** The categories in legend order: name and colour. */
    public record Category(String name, Color colour) {
    }

    /** Every colour with its meaning, for the report's key. */
    public static final List<Category> KEY = List.of(new Category("same init", SAME),
            new Category("perturbed init", PERTURBED), new Category("independent init", INDEPENDENT),
            new Category("other architecture", OTHER_ARCHITECTURE), new Category("no init to tell apart", MEASURED),
            new Category("paper", PAPER));

    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}};

    private Palette() {
    }

    /**
     * The colour of an initialization as records name it ({@code same}, {@code perturbed},
     * {@code independent}); {@code otherArchitecture} marks a student of another architecture.
     */
    public static Color init(String init, boolean otherArchitecture) {
        if (otherArchitecture) {
            return OTHER_ARCHITECTURE;
        }
        if (init == null) {
            return MEASURED;
        }
        return switch (init.toLowerCase(Locale.ROOT)) {
            case "same" -> SAME;
            case "perturbed" -> PERTURBED;
            case "independent" -> INDEPENDENT;
            default -> MEASURED;
        };
    }

    /** The line of the k-th setting of a second category: solid, dashed, dotted, dash-dot, then again. */
    public static Stroke line(int k, float width) {
        float[] dash = DASHES[Math.floorMod(k, DASHES.length)];
        return dash == null ? new BasicStroke(width) : new BasicStroke(width, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, dash, 0f);
    }
}
