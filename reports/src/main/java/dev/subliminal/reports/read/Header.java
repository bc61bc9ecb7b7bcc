package dev.subliminal.reports.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * What an input says about itself: its file, {@code schema}, the run's full {@code config} and its
 * {@code provenance} (missing objects are empty). For a single-record input (a check record or a
 * certificate) the header is the record itself.
 *
 * @param file the input file
 * @param schema for example {@code subliminal.sweep/1}
 * @param config the configuration object
 * @param provenance the provenance object
 */
public record Header(Path file, String schema, JsonNode config, JsonNode provenance) {
}
