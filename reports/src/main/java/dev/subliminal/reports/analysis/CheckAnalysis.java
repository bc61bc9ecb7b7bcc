package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.stats.ErrorScaling;
import dev.subliminal.results.store.Header;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code subliminal.check/1} records ({@code docs/check-record.md}), one per file, all inputs
 * together: a row per record with Δ_S·Δ_T, cos(Δ_S, Δ_T), the trait part and the first-order
 * errors, and the errors against ε when the records use at least two step sizes.
 */
public final class CheckAnalysis implements Analysis {

    private final List<List<String>> rows = new ArrayList<>();
    private final ErrorScaling errors = new ErrorScaling();
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
        errors.add(epsilon, relative, absolute);
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
        return ErrorPlots.of(errors, "check-", "check records");
    }

    /** The first-order error summary. */
    public ErrorScaling errors() {
        return errors;
    }
}
