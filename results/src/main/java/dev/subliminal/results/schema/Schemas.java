package dev.subliminal.results.schema;

import dev.subliminal.results.certify.CertifySchema;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.mnist.MnistSchema;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.numbers.NumbersSchema;
import dev.subliminal.results.sweep.SweepSchema;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every kind of result the toolkit writes and reads. Adding a kind is one entry in {@link #ALL}. */
public final class Schemas {

    /** Sweeps, check records, MNIST runs, certify batches and certificates, MNIST, number and leakage sweeps. */
    public static final List<Schema> ALL = List.of(SweepSchema.SCHEMA, CheckSchema.SCHEMA, MnistSchema.SCHEMA,
            CertifySchema.SCHEMA, CertifySchema.CERTIFICATE, MnistSweepSchema.SCHEMA, NumbersSchema.SCHEMA,
            LeakageSchema.SCHEMA);

    private Schemas() {
    }

    /** The schema of files whose {@code schema} field is {@code name}. */
    public static Optional<Schema> of(String name) {
        return ALL.stream().filter(s -> s.matches(name)).findFirst();
    }

    /** The known schema of files whose {@code schema} field is {@code name}, or an error listing the known ones. */
    public static Schema require(String name) {
        return of(name).orElseThrow(() -> new IllegalArgumentException("unknown schema \"" + name + "\"; known: "
                + ALL.stream().map(Schema::pattern).collect(Collectors.joining(", "))));
    }
}
