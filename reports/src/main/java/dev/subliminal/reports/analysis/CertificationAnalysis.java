package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.certify.CertifySchema;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.Magnitudes;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.store.Header;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Certified step sizes ε* from {@code subliminal.certify/1} batches (one case per record) and single
 * certificates ({@code subliminal.certificate/1}, as {@code certify --out} writes them: each claim
 * of {@code claims} is a case, certified with its {@code epsilonStar}, or, for the exact claim, for
 * every ε), all inputs together: per input the rate of certified cases (Wilson 95%) and the geometric
 * mean, smallest and largest finite ε*, and the distribution of log10 ε* in quarter-decade bins.
 */
public final class CertificationAnalysis implements Analysis {

    /** Bins per decade of the ε* histogram. */
    public static final int BINS_PER_DECADE = 4;
    private static final int LOWEST_DECADE = -20;
    private static final int HIGHEST_DECADE = 4;

    private final Histogram log10EpsilonStar = new Histogram(LOWEST_DECADE, HIGHEST_DECADE,
            (HIGHEST_DECADE - LOWEST_DECADE) * BINS_PER_DECADE);
    private final Map<String, Proportion> certified = new LinkedHashMap<>();
    private final Map<String, Magnitudes> epsilonStar = new LinkedHashMap<>();
    private String source;
    private boolean batch;
    private long unbounded;

    /** The initializations of the inputs' cases (a batch's or a certificate's configuration). */
    private final java.util.Set<String> inits = new java.util.TreeSet<>();

    @Override
    public void header(Header h) {
        String init = h.config().path("init").asText("");
        inits.add(init.isEmpty() ? "unknown" : init);
        source = h.file().getFileName().toString();
        batch = !CertifySchema.CERTIFICATE.matches(h.schema());
        certified.putIfAbsent(source, new Proportion());
        epsilonStar.putIfAbsent(source, new Magnitudes());
    }

    @Override
    public void record(JsonNode r) {
        if (batch) {
            add(r);
            return;
        }
        JsonNode claims = CertifySchema.CLAIMS.node(r);
        for (int i = 0; i < claims.size(); i++) {
            try {
                add(claims.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("claims[" + i + "]: " + e.getMessage(), e);
            }
        }
    }

    /** One case: a batch record or a certificate's claim (the exact claim has no ε*: every ε). */
    private void add(JsonNode c) {
        boolean ok = CertifySchema.CERTIFIED.bool(c);
        if (!batch && !c.has(CertifySchema.EPSILON_STAR.name())) {
            certified.get(source).add(ok);
            unbounded += ok ? 1 : 0;
            return;
        }
        double e = CertifySchema.EPSILON_STAR.number(c);
        if (ok && !(e > 0)) {
            throw new IllegalArgumentException("field \"epsilonStar\" is " + c.get("epsilonStar")
                    + " but the case is certified: expected a positive number");
        }
        certified.get(source).add(ok);
        if (ok) {
            epsilonStar.get(source).add(e);
            log10EpsilonStar.add(Math.log10(e));
        }
    }

    /** log10 ε* of every certified case, in quarter-decade bins over [1e−20, 1e4]. */
    public Histogram histogram() {
        return log10EpsilonStar;
    }

    @Override
    public String title() {
        return "Certified step sizes ε*";
    }

    @Override
    public List<Table> tables() {
        List<List<String>> rows = new ArrayList<>();
        Proportion allCertified = new Proportion();
        Magnitudes all = new Magnitudes();
        for (String s : certified.keySet()) {
            rows.add(row(s, certified.get(s), epsilonStar.get(s)));
            allCertified.addAll(certified.get(s));
            all.addAll(epsilonStar.get(s));
        }
        if (certified.size() > 1) {
            rows.add(row("all inputs", allCertified, all));
        }
        return List.of(new Table("Certified cases", "Rate of certified cases (a batch's cases, a certificate's "
                + "claims) with its Wilson 95% interval; ε* is the largest certified ε of a case (exact claims hold for "
                + "every ε and have none).", List.of("input", "cases", "certified [95% CI]",
                "geo. mean ε*", "smallest ε*", "largest ε*"), rows));
    }

    private static List<String> row(String name, Proportion rate, Magnitudes m) {
        return List.of(name, String.valueOf(rate.trials()), rate.format(), Table.number(m.geometricMean()),
                Table.number(m.min()), Table.number(m.max()));
    }

    @Override
    public List<Plot> plots() {
        if (log10EpsilonStar.total() == 0) {
            return List.of();
        }
        long uncertified = certified.values().stream().mapToLong(r -> r.trials() - r.successes()).sum();
        String caption = "Distribution of the certified ε* (the largest step size for which a case's claim is "
                + "proved) over the n = " + log10EpsilonStar.total() + " certified cases of " + String.join(", ",
                certified.keySet()) + ", in bins of a quarter decade (a count, no interval)"
                + (uncertified > 0 ? "; " + uncertified + " cases without a certificate are not shown" : "")
                + (unbounded > 0 ? "; " + unbounded + " exact claims, certified for every ε, are not shown" : "")
                + (log10EpsilonStar.clamped() > 0 ? "; " + log10EpsilonStar.clamped()
                + " values outside [1e−20, 1e4] are counted in the end bins" : "") + ".";
        return List.of(new Plot("epsilon-star-histogram", caption,
                Charts.histograms("Certified step sizes ε*", "log_{10} ε*", List.of(new Charts.HistogramPanel("",
                        log10EpsilonStar.trimmed(), inits.size() == 1 ? Palette.init(inits.iterator().next(), false)
                        : Palette.MEASURED)), 1, false, List.of(), caption)));
    }
}
