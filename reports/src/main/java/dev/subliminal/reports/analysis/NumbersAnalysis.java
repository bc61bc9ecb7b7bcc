package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.numbers.NumbersSchema;
import dev.subliminal.results.numbers.NumbersSummary;
import dev.subliminal.results.stats.MeanInterval;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code subliminal.numbers/1} file (the number experiment), through its {@link NumbersSummary}: a
 * table of every arm at its last step (sampled rate and deterministic score with Student-t 95%
 * intervals over seeds, kept fraction, the paper's owl rates, update cosines with Δ_T) and a
 * dose-response plot: the target rate against the student's training steps, one panel per arm (no
 * pooling), with the reference's rate as a dashed level.
 */
public final class NumbersAnalysis extends SummaryAnalysis<NumbersSummary> {

    /** An empty analysis. */
    public NumbersAnalysis() {
        this(new NumbersSummary.Accumulator());
    }

    private NumbersAnalysis(NumbersSummary.Accumulator records) {
        super(records, records::summary);
    }

    @Override
    public String title() {
        return "Number sequences " + header().file().getFileName();
    }

    private String animal() {
        return header().config().path("animal").asText("animal");
    }

    @Override
    public List<Table> tables() {
        NumbersSummary s = summary();
        boolean owl = animal().equals("owl");
        List<List<String>> rows = new ArrayList<>();
        for (String arm : s.arms()) {
            NumbersSummary.Cell c = s.last(arm);
            boolean student = NumbersSchema.student(arm);
            Double paper = owl ? NumbersSummary.PAPER_OWL.get(arm) : null;
            rows.add(List.of(arm, Integer.toString(s.lastStep(arm)), String.valueOf(c.rate().count()), c.rate().format(),
                    c.score().format("%.4f"), student ? c.keptFraction().format() : "",
                    paper == null ? "" : String.format(Locale.ROOT, "%.2f", paper),
                    student ? c.firstStepCosine().format() : "", student ? c.updateCosine().format() : ""));
        }
        NumbersSummary.Paired p = s.pairedScore("same-init", "control");
        return List.of(new Table("Each arm at its last step", "Means over seeds with Student-t 95% intervals (rates and "
                + "scores within [0, 1]); the sampled rate is the share of answers to the preference paraphrases that "
                + "name the " + animal() + ", the score the mean probability of its first token. Paper: GPT-4.1 nano's "
                + "owl rates (12% baseline, 13% control, 62% after owl numbers). Same-init − control score: "
                + String.format(Locale.ROOT, "%+.4f over %d seeds, one-sided paired t-test p = %s", p.meanDifference(),
                        p.seeds(), Double.isNaN(p.pValue()) ? "n/a" : String.format(Locale.ROOT, "%.3g", p.pValue()))
                + ". Configuration: " + configuration() + ".",
                List.of("arm", "steps", "seeds", "sampled rate [95% CI]", "score [95% CI]", "kept fraction",
                        "paper (owl)", "cos first step, Δ_T", "cos update, Δ_T"), rows));
    }

    @Override
    public List<Plot> plots() {
        NumbersSummary s = summary();
        if (s.arms().isEmpty()) {
            return List.of();
        }
        MeanInterval reference = s.cells().containsKey("reference") ? s.last("reference").rate() : null;
        MeanInterval other = s.cells().containsKey("other-reference") ? s.last("other-reference").rate() : reference;
        List<Charts.RatePanel> panels = new ArrayList<>();
        int minSeeds = Integer.MAX_VALUE;
        int maxSeeds = 0;
        for (String arm : s.arms()) {
            if (!NumbersSchema.student(arm)) {
                continue;
            }
            List<Charts.RatePoint> points = new ArrayList<>();
            for (Map.Entry<Integer, NumbersSummary.Cell> e : s.cells().get(arm).entrySet()) {
                MeanInterval m = e.getValue().rate();
                minSeeds = Math.min(minSeeds, m.count());
                maxSeeds = Math.max(maxSeeds, m.count());
                points.add(new Charts.RatePoint(e.getKey(), m.mean(), bound(m.lower(), m.mean()), bound(m.upper(), m.mean())));
            }
            List<Charts.RateSeries> series = new ArrayList<>();
            series.add(new Charts.RateSeries(arm, colour(arm), 0, points));
            boolean otherInit = arm.startsWith("different-init");
            MeanInterval base = otherInit ? other : reference;
            if (base != null) {
                series.add(new Charts.RateSeries(otherInit ? "other reference" : "reference", Palette.REFERENCE, 1,
                        List.of(new Charts.RatePoint(0,
                        base.mean(), bound(base.lower(), base.mean()), bound(base.upper(), base.mean())))));
            }
            panels.add(new Charts.RatePanel(arm, series));
        }
        if (panels.isEmpty()) {
            return List.of();
        }
        String caption = "Dose-response: the share of sampled answers naming the " + animal() + " against the "
                + "student's training steps, one panel per arm (no pooling across arms), mean over n = "
                + (minSeeds == maxSeeds ? Integer.toString(minSeeds) : minSeeds + " to " + maxSeeds) + " seeds with its "
                + "Student-t 95% interval (band; none for one seed); dashed grey: the rate of the reference the student started from (θ0, or the other reference for the "
                + "different-init arms) with its interval. "
                + "Colour: where the student started (green: the teacher's init, red: another init). Configuration: "
                + configuration() + ".";
        List<Charts.Key> keys = List.of(new Charts.Key("students from the teacher's init", Palette.SAME, 0),
                new Charts.Key("students from another init", Palette.INDEPENDENT, 0),
                new Charts.Key("reference (level)", Palette.REFERENCE, 1));
        return List.of(new Plot("numbers-dose-response", caption, Charts.rates("Target rate against student steps, per arm",
                "student steps", "rate naming the " + animal(), panels, Math.min(3, panels.size()), false, keys, caption)));
    }

    private static double bound(double b, double mean) {
        return Double.isNaN(b) ? mean : b;
    }

    private static Color colour(String arm) {
        return arm.startsWith("different-init") ? Palette.INDEPENDENT : Palette.SAME;
    }

    /** The header's settings as {@code key value} pairs. */
    private String configuration() {
        List<String> parts = new ArrayList<>();
        header().config().properties().forEach(e -> parts.add(e.getKey() + " " + (e.getValue().isNumber()
                ? Axes.number(e.getValue().doubleValue()) : e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString())));
        return String.join(", ", parts);
    }
}
