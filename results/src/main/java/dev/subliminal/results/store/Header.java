package dev.subliminal.results.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * What a results file or single record says about itself: its file, {@code schema}, the run's full
 * {@code config} and its {@code provenance} (an absent provenance is a missing node). For a single
 * record (a check record, a certificate) the header is the record itself.
 *
 * @param file the file
 * @param schema for example {@code subliminal.sweep/1}
 * @param config the configuration object
 * @param provenance the provenance object
 */
public record Header(Path file, String schema, JsonNode config, JsonNode provenance) {
}
