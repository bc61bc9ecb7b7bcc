package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.read.Fields;
import dev.subliminal.reports.read.Header;
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
        JsonNode results = Fields.object(r, "results");
        double epsilon = Fields.number(Fields.object(r, "config"), "epsilon");
        double relative = Fields.number(results, "relativeError");
        double absolute = Fields.number(results, "absoluteError");
        errors.add(epsilon, relative, absolute);
        Boolean below = Fields.bool(results, "traitDropsBelowControl");
        rows.add(List.of(header.file().getFileName().toString(), Table.number(epsilon),
                Table.number(Fields.number(results, "dot")), Table.number(Fields.number(results, "cosine")),
                Table.number(Fields.number(results, "traitPart")), Table.number(relative), Table.number(absolute),
                below == null ? "n/a" : below ? "yes" : "no", Fields.text(r, "commandLine")));
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
        return errors.plots("check-", "check records");
    }

    /** The first-order error summary. */
    public ErrorScaling errors() {
        return errors;
    }
}
