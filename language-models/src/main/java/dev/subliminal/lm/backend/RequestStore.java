package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.AtomicOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every answered request on disk, one file per request: {@code DIR/ab/KEY.json} holding the
 * backend, the endpoint, the request and the response, where KEY is the SHA-256 of
 * {@code backend + "\n" + endpoint + "\n" + canonical JSON of the request} ({@link Canonical}). A file
 * appears atomically when its answer arrives, so a run stopped at any moment leaves only complete
 * answers, and a rerun that asks the same questions of the same backend reads them instead of paying
 * again. Safe for concurrent use (two writers of one key keep the first answer).
 */
public final class RequestStore {

    private final Path dir;

    /** A store in {@code dir} (created if needed). */
    public RequestStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the request store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The key of a request to an endpoint of a backend. */
    public static String key(String backend, String endpoint, JsonNode request) {
        return Canonical.sha256(backend + "\n" + endpoint + "\n" + Canonical.json(request));
    }

    private Path file(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    /** Whether the request has a stored answer. */
    public boolean has(String key) {
        return Files.isRegularFile(file(key));
    }

    /** The stored response, if any. */
    public Optional<JsonNode> response(String key) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode o = Canonical.MAPPER.readTree(f.toFile());
            if (o == null || !o.has("response")) {
                throw new IllegalArgumentException(f + " is not a stored request (no response); delete it to ask again");
            }
            return Optional.of(o.get("response"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored request " + f + ": " + e.getMessage(), e);
        }
    }

    /** Stores an answer (keeps an earlier one for the same key). */
    public void put(String key, String backend, String endpoint, JsonNode request, JsonNode response) {
        Path f = file(key);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("backend", backend);
        o.put("endpoint", endpoint);
        o.set("request", request);
        o.set("response", response);
        o.put("storedAt", java.time.Instant.now().toString());
        try {
            Files.createDirectories(f.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + f.getParent() + ": " + e.getMessage(), e);
        }
        if (Files.exists(f)) {
            return;
        }
        try {
            AtomicOutput.write(f, false, p -> Canonical.MAPPER.writeValue(p.toFile(), o));
        } catch (IllegalArgumentException e) {
            if (!Files.exists(f)) {
                throw e;
            }
        }
    }

    /** How many answers are stored. */
    public long size() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
