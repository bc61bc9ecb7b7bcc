package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.results.stats.MedianInterval;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code subliminal.check/1} records ({@code docs/check-record.md}), one per file, all inputs
 * together: a row per record with Δ_S·Δ_T, cos(Δ_S, Δ_T), the trait part and the first-order
 * errors, and the errors against ε (one line per initialization) when the records use at least two
 * step sizes.
 */
public final class CheckAnalysis implements Analysis {

    private final List<List<String>> rows = new ArrayList<>();
    /** Per init, per ε: the relative and absolute errors of the records. */
    private final Map<String, TreeMap<Double, Sample[]>> errors = new TreeMap<>();
    private Header header;

    @Override
    public void header(Header h) {
        this.header = h;
    }

    @Override
    public void record(JsonNode r) {
        JsonNode results = CheckSchema.RESULTS.object(r);
        double epsilon = CheckSchema.EPSILON.number(Schema.CONFIG.object(r));
        double relative = CheckSchema.RELATIVE_ERROR.number(results);
        double absolute = CheckSchema.ABSOLUTE_ERROR.number(results);
        String init = Schema.CONFIG.object(r).path("init").asText("same");
        Sample[] at = errors.computeIfAbsent(init, k -> new TreeMap<>()).computeIfAbsent(epsilon,
                e -> new Sample[] {new Sample(), new Sample()});
        at[0].add(relative);
        at[1].add(absolute);
        rows.add(List.of(header.file().getFileName().toString(), Table.number(epsilon),
                Table.number(CheckSchema.DOT.number(results)), Table.number(CheckSchema.COSINE.number(results)),
                Table.number(CheckSchema.TRAIT_PART.number(results)), Table.number(relative), Table.number(absolute),
                CheckSchema.TRAIT_DROPS_BELOW_CONTROL.bool(results) ? "yes" : "no", CheckSchema.COMMAND_LINE.text(r)));
    }

    @Override
    public String title() {
        return "Check records";
    }

    @Override
    public List<Table> tables() {
        return List.of(new Table("One row per record", "n/a: undefined (across architectures).",
                List.of("file", "ε", "Δ_S·Δ_T", "cos(Δ_S, Δ_T)", "trait part", "rel. err", "abs. err",
                        "L_T below control", "command line"), rows));
    }

    @Override
    public List<Plot> plots() {
        List<ErrorPlots.Group> groups = new ArrayList<>();
        errors.forEach((init, byEpsilon) -> {
            List<ErrorPlots.Point> points = new ArrayList<>();
            byEpsilon.forEach((eps, v) -> points.add(new ErrorPlots.Point(eps, MedianInterval.of95(v[0].toArray()),
                    MedianInterval.of95(v[1].toArray()))));
            groups.add(new ErrorPlots.Group(init + " init", Palette.init(init, false), 0, points, ""));
        });
        long max = errors.values().stream().flatMap(m -> m.values().stream()).mapToLong(v -> v[0].size()).max().orElse(0);
        return ErrorPlots.of(groups, "n = " + (max == 1 ? "1 record per ε (no interval)" : "up to " + max
                + " records per ε"), "Check records: " + rows.size() + " records, one line per initialization.", "check-")
                .stream().toList();
    }
}
