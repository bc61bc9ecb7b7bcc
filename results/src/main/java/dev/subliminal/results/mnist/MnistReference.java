package dev.subliminal.results.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The reference values an MNIST run can be read against, only where they exist for its settings
 * (the figures and their provenance are in {@code docs/mnist-reference.md}):
 *
 * <ul>
 *   <li>the paper's Fig. 10 (Cloud et al. 2025; means over 100 runs on the full 60,000/10,000 digits,
 *       read from the figure): every arm, for the official script's settings (m = 3 auxiliary
 *       logits, width 256, Uniform[−1, 1] noise, 60,000 noise images, Adam at lr 3e-4, no weight
 *       decay, no perturbation, 5 epochs, batch 1024); with only m changed, the paper's sweep over m
 *       gives the aux-only student alone (m = 1, 2, 5, 10, 20, 50: about 0.10, 0.35, 0.70, 0.83,
 *       0.89, 0.92);</li>
 *   <li>PyTorch 1.13 on the bundled 8,000/2,000 digits with the official settings (10 runs, this
 *       project's measurement): every arm, only for those settings and the bundled data.</li>
 * </ul>
 *
 * A setting missing from a results file's {@code config} reads as the official one.
 *
 * @param paper the paper's mean per arm (absent: none for these settings)
 * @param paperHalfWidth the paper's 95% half-width per arm, where it states one
 * @param pytorch PyTorch's mean on the bundled digits per arm (absent: none for these settings)
 * @param settings the settings in words, e.g. {@code m = 10}, or {@code the paper's}
 */
public record MnistReference(Map<Arm, Double> paper, Map<Arm, Double> paperHalfWidth, Map<Arm, Double> pytorch,
        String settings) {

    /** The paper's aux-only student accuracy at m auxiliary logits, from its sweep over m. */
    private static final Map<Integer, Double> AUX_SWEEP = Map.of(1, 0.10, 2, 0.35, 3, 0.53, 5, 0.70, 10, 0.83,
            20, 0.89, 50, 0.92);

    /** The references for a results file's header {@code config}. */
    public static MnistReference of(JsonNode config) {
        int aux = config.path("aux").asInt(3);
        boolean official = config.path("width").asInt(256) == 256
                && config.path("noise").asText("uniform").equals("uniform")
                && config.path("noiseImages").asInt(60000) == 60000
                && config.path("optimizer").asText("adam").equals("adam")
                && config.path("lr").asDouble(3e-4) == 3e-4
                && config.path("weightDecay").asDouble(0) == 0
                && config.path("perturbation").asDouble(0) == 0
                && config.path("headPerturbation").asDouble(0) == 0
                && config.path("epochs").asInt(5) == 5
                && config.path("batch").asInt(1024) == 1024
                && config.path("teacherSteps").asInt(0) == 0
                && config.path("loss").asText("ce").equals("ce")
                && config.path("temperature").asDouble(1) == 1
                && config.path("studentLayers").asText("teacher,teacher,teacher").equals("teacher,teacher,teacher");
        boolean bundled = config.path("data").asText("bundled").startsWith("bundled");
        Map<Arm, Double> paper = new EnumMap<>(Arm.class);
        Map<Arm, Double> half = new EnumMap<>(Arm.class);
        Map<Arm, Double> pytorch = new EnumMap<>(Arm.class);
        if (official && aux == 3) {
            for (Arm a : Arm.values()) {
                paper.put(a, a.paper());
                if (a.paperHalfWidth() > 0) {
                    half.put(a, a.paperHalfWidth());
                }
                if (bundled) {
                    pytorch.put(a, a.pytorch());
                }
            }
        } else if (official && AUX_SWEEP.containsKey(aux)) {
            paper.put(Arm.STUDENT_AUX, AUX_SWEEP.get(aux));
        }
        String settings = official ? (aux == 3 ? "the paper's" : "m = " + aux) : "other settings";
        return new MnistReference(Map.copyOf(paper), Map.copyOf(half), Map.copyOf(pytorch), settings);
    }

    /** The paper's value for {@code arm}, or NaN where it has none for these settings. */
    public double paper(Arm arm) {
        return paper.getOrDefault(arm, Double.NaN);
    }

    /** The paper's 95% half-width for {@code arm}; 0 where it states none. */
    public double paperHalfWidth(Arm arm) {
        return paperHalfWidth.getOrDefault(arm, 0.0);
    }

    /** PyTorch's value on the bundled digits for {@code arm}, or NaN. */
    public double pytorch(Arm arm) {
        return pytorch.getOrDefault(arm, Double.NaN);
    }

    /** Whether the paper has any value for these settings. */
    public boolean anyPaper() {
        return !paper.isEmpty();
    }

    /** The paper's value as printed: {@code 0.53 ± 0.02}, {@code 0.10}, or {@code —} where it has none. */
    public String paperText(Arm arm) {
        double p = paper(arm);
        if (Double.isNaN(p)) {
            return "—";
        }
        double h = paperHalfWidth(arm);
        return String.format(java.util.Locale.ROOT, "%.2f", p) + (h > 0 ? String.format(java.util.Locale.ROOT,
                " ± %.2f", h) : "");
    }

    /** PyTorch's value as printed: {@code 0.479}, or {@code —}. */
    public String pytorchText(Arm arm) {
        double p = pytorch(arm);
        return Double.isNaN(p) ? "—" : String.format(java.util.Locale.ROOT, "%.3f", p);
    }
}
