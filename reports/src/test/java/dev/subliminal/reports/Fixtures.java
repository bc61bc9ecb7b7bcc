package dev.subliminal.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The example inputs under {@code src/test/resources/fixtures} and an independent, load-everything reader. */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** The fixture file {@code name}. */
    public static Path of(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every fixture the report reads. */
    public static List<Path> all() {
        return List.of(of("sweep.jsonl"), of("check-1e-3.json"), of("check-1e-2.json"), of("mnist.jsonl"),
                of("certify.jsonl"), of("certificate.json"));
    }

    /** The records of a results file (every line but the header), all in memory. */
    public static List<JsonNode> records(Path file) {
        try {
            List<JsonNode> records = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                records.add(MAPPER.readTree(line));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Wilson 95% interval by its closed form, z = Φ⁻¹(0.975) to 16 digits. */
    public static double[] wilson95(long k, long n) {
        double z = 1.959963984540054;
        double p = (double) k / n;
        double centre = (p + z * z / (2.0 * n)) / (1 + z * z / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
        return new double[] {centre - half, centre + half};
    }
}
