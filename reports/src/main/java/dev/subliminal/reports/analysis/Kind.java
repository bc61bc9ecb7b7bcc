package dev.subliminal.reports.analysis;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A kind of input the report understands, and the analysis that reads it. Adding a kind (a new
 * experiment's results) is one entry in {@link #ALL}.
 *
 * @param name a short name
 * @param reads the schemas it reads
 * @param singleRecord the schemas that are one JSON record rather than a results file
 * @param perFile one analysis per input file (a sweep's grid), or one shared by all inputs of the kind
 * @param factory a new, empty analysis
 */
public record Kind(String name, Predicate<String> reads, Predicate<String> singleRecord, boolean perFile,
        Supplier<Analysis> factory) {

    /** Every kind, in report order. */
    public static final List<Kind> ALL = List.of(
            new Kind("sweep", "subliminal.sweep/1"::equals, s -> false, true, SweepAnalysis::new),
            new Kind("check", "subliminal.check/1"::equals, s -> true, false, CheckAnalysis::new),
            new Kind("mnist", "subliminal.mnist/1"::equals, s -> false, true, MnistAnalysis::new),
            new Kind("certify", s -> s.equals("subliminal.certify/1") || s.startsWith("subliminal.certificate"),
                    s -> s.startsWith("subliminal.certificate"), false, CertificationAnalysis::new));

    /** The kind reading {@code schema}. */
    public static Optional<Kind> of(String schema) {
        return ALL.stream().filter(k -> k.reads().test(schema)).findFirst();
    }

    /** Whether any kind reads {@code schema} as a single record. */
    public static boolean isSingleRecord(String schema) {
        return of(schema).map(k -> k.singleRecord().test(schema)).orElse(false);
    }
}
