package dev.subliminal.reports.analysis;

import dev.subliminal.results.certify.CertifySchema;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.mnist.MnistSchema;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.numbers.NumbersSchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.sweep.SweepSchema;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A kind of input the report understands, and the analysis that reads it. Adding a kind (a new
 * experiment's results) is one schema in {@code dev.subliminal.results} and one entry in {@link #ALL}.
 *
 * @param name a short name
 * @param schemas the schemas it reads
 * @param perFile one analysis per input file (a sweep's grid), or one shared by all inputs of the kind
 * @param factory a new, empty analysis
 */
public record Kind(String name, List<Schema> schemas, boolean perFile, Supplier<Analysis> factory) {

    /** Every kind, in report order. */
    public static final List<Kind> ALL = List.of(
            new Kind("sweep", List.of(SweepSchema.SCHEMA), true, SweepAnalysis::new),
            new Kind("check", List.of(CheckSchema.SCHEMA), false, CheckAnalysis::new),
            new Kind("mnist", List.of(MnistSchema.SCHEMA), true, MnistAnalysis::new),
            new Kind("mnist-sweep", List.of(MnistSweepSchema.SCHEMA), true, MnistSweepAnalysis::new),
            new Kind("leakage-sweep", List.of(LeakageSchema.SCHEMA), true, LeakageAnalysis::new),
            new Kind("numbers", List.of(NumbersSchema.SCHEMA), true, NumbersAnalysis::new),
            new Kind("certify", List.of(CertifySchema.SCHEMA, CertifySchema.CERTIFICATE), false,
                    CertificationAnalysis::new));

    /** The kind reading {@code schema}. */
    public static Optional<Kind> of(String schema) {
        return ALL.stream().filter(k -> k.schemas().stream().anyMatch(s -> s.matches(schema))).findFirst();
    }
}
