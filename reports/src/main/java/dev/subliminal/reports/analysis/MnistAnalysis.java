package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.Bar;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistSummary;
import dev.subliminal.results.stats.MeanInterval;
import java.util.ArrayList;
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
        List<List<String>> rows = new ArrayList<>();
        for (Arm a : Arm.values()) {
            MnistSummary.ArmStatistics s = summary().arm(a);
            rows.add(List.of(a.label(), String.valueOf(s.accuracy().count()), s.accuracy().format(),
                    Table.number(a.paper()) + (a.paperHalfWidth() > 0 ? " ± " + a.paperHalfWidth() : ""),
                    s.positiveFirstStep().format(), s.updateCosine().format()));
        }
        return List.of(new Table("Test accuracy per arm", "Means over runs with Student-t 95% intervals; the "
                + "paper's means over 100 runs read from its Fig. 10; Δ_S·Δ_T at the first student step against the "
                + "teacher's total update, with Wilson 95% intervals.",
                List.of("arm", "runs", "accuracy [95% CI]", "paper (Fig. 10)", "first step Δ_S·Δ_T > 0 [95% CI]",
                        "update cosine [95% CI]"), rows));
    }

    @Override
    public List<Plot> plots() {
        if (summary().isEmpty()) {
            return List.of();
        }
        List<String> categories = new ArrayList<>();
        for (Arm a : Arm.values()) {
            categories.add(a.label());
        }
        return List.of(new Plot("mnist-accuracy", "Test accuracy of the six arms: mean over this file's runs with "
                + "its Student-t 95% interval, beside the paper's mean over 100 runs (Fig. 10; whisker where the "
                + "paper states an interval). Chance is 0.10.",
                Charts.bars("MNIST auxiliary logits: test accuracy", "test accuracy", categories, bars())));
    }

    /** The plotted bars: this file's mean accuracy per arm with its t interval, and the paper's. */
    public Map<String, List<Bar>> bars() {
        List<Bar> ours = new ArrayList<>();
        List<Bar> paper = new ArrayList<>();
        for (Arm a : Arm.values()) {
            MeanInterval m = summary().arm(a).accuracy();
            ours.add(Bar.symmetric(m.mean(), m.halfWidth()));
            paper.add(Bar.symmetric(a.paper(), a.paperHalfWidth()));
        }
        Map<String, List<Bar>> series = new LinkedHashMap<>();
        series.put("this run (mean, 95% CI)", ours);
        series.put("paper, Fig. 10", paper);
        return series;
    }
}
