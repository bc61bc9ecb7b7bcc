package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.Bar;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistReference;
import dev.subliminal.results.mnist.MnistSummary;
import dev.subliminal.results.stats.MeanInterval;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code subliminal.mnist/1} file (the paper's auxiliary-logit experiment, Fig. 10), through its
 * {@link MnistSummary}: per arm the mean test accuracy over runs with its Student-t 95% interval,
 * beside the paper's value; for the student and cross arms the rate of Δ_S·Δ_T &gt; 0 at the first
 * step (Wilson 95%) and the mean cosine between the student's and the teacher's cumulative updates.
 */
public final class MnistAnalysis extends SummaryAnalysis<MnistSummary> {

    /** An empty analysis. */
    public MnistAnalysis() {
        this(new MnistSummary.Accumulator());
    }

    private MnistAnalysis(MnistSummary.Accumulator records) {
        super(records, records::summary);
    }

    @Override
    public String title() {
        return "MNIST auxiliary logits " + header().file().getFileName();
    }

    @Override
    public List<Table> tables() {
        MnistReference ref = summary().reference();
        List<List<String>> rows = new ArrayList<>();
        for (Arm a : Arm.values()) {
            MnistSummary.ArmStatistics s = summary().arm(a);
            rows.add(List.of(a.label(), String.valueOf(s.accuracy().count()), s.accuracy().format(),
                    ref.paperText(a), ref.pytorchText(a), s.positiveFirstStep().format(), s.updateCosine().format()));
        }
        return List.of(new Table("Test accuracy per arm", "Means over runs with Student-t 95% intervals within [0, 1]; "
                + "the paper's means over 100 runs on the full MNIST (Fig. 10) and PyTorch's on the bundled digits "
                + "only where they exist for this file's settings (" + ref.settings() + "; provenance in "
                + "docs/mnist-reference.md); Δ_S·Δ_T at the first student step against the teacher's total update, "
                + "with Wilson 95% intervals. " + data() + ".",
                List.of("arm", "runs", "accuracy [95% CI]", "paper (Fig. 10)", "PyTorch, bundled",
                        "first step Δ_S·Δ_T > 0 [95% CI]", "update cosine [95% CI]"), rows));
    }

    /** Where the digits came from, as the header says. */
    private String data() {
        String d = header().config().path("data").asText("");
        return d.isEmpty() ? "Data: not stated in the file" : "Data: " + d;
    }

    @Override
    public List<Plot> plots() {
        if (summary().isEmpty()) {
            return List.of();
        }
        MnistReference ref = summary().reference();
        List<String> categories = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (Arm a : Arm.values()) {
            categories.add(a.label());
            colours.add(colour(a));
        }
        Map<String, List<Bar>> bars = bars();
        List<Bar> ours = bars.values().iterator().next();
        String label = bars.keySet().iterator().next();
        int minRuns = Arrays.stream(Arm.values()).mapToInt(a -> summary().arm(a).accuracy().count()).min().orElse(0);
        int maxRuns = Arrays.stream(Arm.values()).mapToInt(a -> summary().arm(a).accuracy().count()).max().orElse(0);
        List<Charts.Key> keys = new ArrayList<>(List.of(new Charts.Key("untrained reference and teacher",
                Palette.MEASURED, 0), new Charts.Key("students from the teacher's init", Palette.SAME, 0),
                new Charts.Key("students from another init", Palette.INDEPENDENT, 0)));
        if (ref.anyPaper()) {
            keys.add(new Charts.Key("paper, Fig. 10 (◆)", Palette.PAPER, 0));
        }
        String caption = "Test accuracy of the six arms: the mean over this file's " + (minRuns == maxRuns ? "n = "
                + minRuns : "n = " + minRuns + " to " + maxRuns) + " runs"
                + (maxRuns >= 2 ? " with its Student-t 95% interval (within [0, 1])" : " (one run: no interval)")
                + "; black diamonds: the paper's means over 100 runs on the full MNIST, "
                + (ref.anyPaper() ? "where the paper has a value for these settings (" + ref.settings()
                + "), with its 95% interval where it states one" : "none for these settings") + "; dashed line: chance "
                + "(0.1). Colour: where the student started. " + data() + "; configuration: " + configuration() + ".";
        return List.of(new Plot("mnist-accuracy", caption, Charts.accuracy("MNIST auxiliary logits: test accuracy per arm",
                "test accuracy", categories, new Charts.BarSeries(label, colours, ours), bars.get(PAPER), "paper",
                0.1, keys, caption)));
    }

    private static final String PAPER = "paper, Fig. 10";

    private static Color colour(Arm a) {
        return !a.student() ? Palette.MEASURED : a.sameInit() ? Palette.SAME : Palette.INDEPENDENT;
    }

    /** The header's settings other than the data, as {@code key value} pairs. */
    private String configuration() {
        List<String> parts = new ArrayList<>();
        header().config().properties().forEach(e -> {
            if (!e.getKey().equals("data")) {
                parts.add(e.getKey() + " " + (e.getValue().isNumber() ? Axes.number(e.getValue().doubleValue())
                        : e.getValue().asText()));
            }
        });
        return String.join(", ", parts);
    }

    /**
     * The plotted bars: this file's mean accuracy per arm with its t interval (no whisker for one
     * run), and the paper's value where it has one for these settings (NaN elsewhere).
     */
    public Map<String, List<Bar>> bars() {
        MnistReference ref = summary().reference();
        List<Bar> ours = new ArrayList<>();
        List<Bar> paper = new ArrayList<>();
        int runs = 0;
        for (Arm a : Arm.values()) {
            MeanInterval m = summary().arm(a).accuracy();
            runs = Math.max(runs, m.count());
            ours.add(m.count() >= 2 ? new Bar(m.mean(), m.lower(), m.upper()) : new Bar(m.mean(), Double.NaN, Double.NaN));
            paper.add(Bar.symmetric(ref.paper(a), ref.paperHalfWidth(a)));
        }
        Map<String, List<Bar>> series = new LinkedHashMap<>();
        series.put(runs >= 2 ? "this file: mean of " + runs + " runs, 95% CI" : "this file: one run", ours);
        series.put(PAPER, paper);
        return series;
    }
}
