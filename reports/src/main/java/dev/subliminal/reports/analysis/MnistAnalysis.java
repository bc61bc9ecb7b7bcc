package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.Bar;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.read.Fields;
import dev.subliminal.reports.read.Header;
import dev.subliminal.reports.stats.MeanEstimate;
import dev.subliminal.reports.stats.Rate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code subliminal.mnist/1} file (the paper's auxiliary-logit experiment, Fig. 10): per arm the
 * mean test accuracy over runs with its Student-t 95% interval, beside the paper's value; for the
 * student and cross arms the rate of Δ_S·Δ_T &gt; 0 at the first step (Wilson 95%) and the mean
 * cosine between the student's and the teacher's cumulative updates.
 */
public final class MnistAnalysis implements Analysis {

    /**
     * An arm and the paper's mean accuracy over 100 runs, read from Fig. 10 (95% half-width where
     * the paper gives one, else 0).
     */
    public enum Arm {
        REFERENCE("reference", "reference", 0.10, 0),
        TEACHER("teacher", "teacher", 0.94, 0),
        STUDENT_AUX("student-aux", "student aux", 0.53, 0.02),
        STUDENT_ALL("student-all", "student all", 0.91, 0),
        CROSS_AUX("cross-aux", "cross aux", 0.11, 0),
        CROSS_ALL("cross-all", "cross all", 0.74, 0);

        private final String key;
        private final String label;
        private final double paper;
        private final double paperHalfWidth;

        Arm(String key, String label, double paper, double paperHalfWidth) {
            this.key = key;
            this.label = label;
            this.paper = paper;
            this.paperHalfWidth = paperHalfWidth;
        }

        /** The paper's mean accuracy. */
        public double paper() {
            return paper;
        }

        static Arm of(String key) {
            for (Arm a : values()) {
                if (a.key.equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("arm \"" + key + "\" is not one of reference, teacher, student-aux, "
                    + "student-all, cross-aux, cross-all");
        }
    }

    private final Map<Arm, MeanEstimate> accuracy = new LinkedHashMap<>();
    private final Map<Arm, Rate> positiveFirstStep = new LinkedHashMap<>();
    private final Map<Arm, MeanEstimate> updateCosine = new LinkedHashMap<>();
    private Header header;

    /** An empty summary. */
    public MnistAnalysis() {
        for (Arm a : Arm.values()) {
            accuracy.put(a, new MeanEstimate());
            positiveFirstStep.put(a, new Rate());
            updateCosine.put(a, new MeanEstimate());
        }
    }

    @Override
    public void header(Header h) {
        this.header = h;
    }

    @Override
    public void record(JsonNode r) {
        Arm arm = Arm.of(Fields.text(r, "arm"));
        double a = Fields.number(r, "accuracy");
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException("field \"accuracy\" is " + r.get("accuracy") + ", expected a number in "
                    + "[0, 1]");
        }
        accuracy.get(arm).add(a);
        if (r.has("firstStepDot")) {
            double dot = Fields.number(r, "firstStepDot");
            if (!Double.isNaN(dot)) {
                positiveFirstStep.get(arm).add(dot > 0);
            }
            updateCosine.get(arm).add(Fields.number(r, "updateCosine"));
        }
    }

    /** The accuracy summary of an arm. */
    public MeanEstimate accuracy(Arm arm) {
        return accuracy.get(arm);
    }

    @Override
    public String title() {
        return "MNIST auxiliary logits " + header.file().getFileName();
    }

    @Override
    public List<Table> tables() {
        List<List<String>> rows = new ArrayList<>();
        for (Arm a : Arm.values()) {
            MeanEstimate m = accuracy.get(a);
            rows.add(List.of(a.label, String.valueOf(m.count()), m.format(),
                    Table.number(a.paper) + (a.paperHalfWidth > 0 ? " ± " + a.paperHalfWidth : ""),
                    positiveFirstStep.get(a).format(), updateCosine.get(a).format()));
        }
        return List.of(new Table("Test accuracy per arm", "Means over runs with Student-t 95% intervals; the "
                + "paper's means over 100 runs read from its Fig. 10; Δ_S·Δ_T at the first student step against the "
                + "teacher's total update, with Wilson 95% intervals.",
                List.of("arm", "runs", "accuracy [95% CI]", "paper (Fig. 10)", "first step Δ_S·Δ_T > 0 [95% CI]",
                        "update cosine [95% CI]"), rows));
    }

    @Override
    public List<Plot> plots() {
        if (accuracy.values().stream().allMatch(m -> m.count() == 0)) {
            return List.of();
        }
        List<String> categories = new ArrayList<>();
        for (Arm a : Arm.values()) {
            categories.add(a.label);
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
            MeanEstimate m = accuracy.get(a);
            ours.add(Bar.symmetric(m.count() == 0 ? Double.NaN : m.mean(), m.halfWidth95()));
            paper.add(Bar.symmetric(a.paper, a.paperHalfWidth));
        }
        Map<String, List<Bar>> series = new LinkedHashMap<>();
        series.put("this run (mean, 95% CI)", ours);
        series.put("paper, Fig. 10", paper);
        return series;
    }
}
