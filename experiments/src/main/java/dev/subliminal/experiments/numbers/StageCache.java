package dev.subliminal.experiments.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk cache of a run's stages. Every stage lives in a folder {@code NAME-HASH} of the work
 * folder, where HASH is the first 16 hex digits of the SHA-256 of its <em>key</em>: the canonical JSON of
 * every setting it depends on, including the keys of the stages it reads. So a rerun with the same
 * settings finds every stage done, and a changed setting changes the keys (and folders) of exactly the
 * stages that depend on it. A stage folder holds {@code stage.json} (its key, written first) and, once
 * complete, {@code done.json} (written last, atomically); a folder without {@code done.json} is a
 * stage that was interrupted, and its body resumes from what it finds there.
 *
 * <p>Nothing a user made is touched: the work folder must be empty or absent, or hold the marker
 * {@value #MARKER}; a stage folder must hold its {@code stage.json} with the same key.
 */
public final class StageCache {

    /** The marker file of a work folder this class created. */
    public static final String MARKER = ".subliminal-numbers";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A stage's work, given its folder; returns the JSON stored as {@code done.json}. */
    @FunctionalInterface
    public interface Body {
        JsonNode run(Path folder) throws IOException;
    }

    /** What happened to a stage in this run. */
    public record Event(String stage, String folder, boolean ran) {
    }

    private final Path root;
    private final List<Event> events = new ArrayList<>();

    /** The cache in {@code root}: created with its marker when absent or empty, refused when it holds anything else. */
    public StageCache(Path root) {
        this.root = root;
        try {
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException("the work folder " + root + " is not a folder");
                }
                if (!Files.exists(root.resolve(MARKER))) {
                    try (Stream<Path> s = Files.list(root)) {
                        if (s.findAny().isPresent()) {
                            throw new IllegalArgumentException("the work folder " + root + " holds files that "
                                    + "subliminal numbers did not create (no " + MARKER + "); choose an empty or new folder");
                        }
                    }
                }
            }
            Files.createDirectories(root);
            if (!Files.exists(root.resolve(MARKER))) {
                Files.writeString(root.resolve(MARKER), "stage folders of ./subliminal numbers; see docs/numbers.md\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the work folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** The work folder. */
    public Path root() {
        return root;
    }

    /** The stages seen so far, in order, and whether each ran (or was found done). */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The folder of a stage (whether or not it exists). */
    public Path folder(String name, JsonNode key) {
        return root.resolve(name + "-" + hash(key));
    }

    /** Whether the stage is done. */
    public boolean done(String name, JsonNode key) {
        return Files.exists(folder(name, key).resolve("done.json"));
    }

    /**
     * The stage's {@code done.json}: read when the stage is done, else computed by {@code body} in the
     * stage's folder (created with its {@code stage.json}, or resumed).
     */
    public JsonNode run(String name, JsonNode key, Body body) {
        Path folder = folder(name, key);
        Path done = folder.resolve("done.json");
        Path stage = folder.resolve("stage.json");
        try {
            String keyText = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(key) + "\n";
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(stage)
                        || !Files.readString(stage).equals(keyText)) {
                    throw new IllegalArgumentException(folder + " is not a stage folder of this key (its stage.json "
                            + "differs or is missing); refusing to touch it");
                }
                if (Files.exists(done)) {
                    events.add(new Event(name, folder.getFileName().toString(), false));
                    return MAPPER.readTree(done.toFile());
                }
            } else {
                Files.createDirectories(folder);
                Files.writeString(stage, keyText);
            }
            events.add(new Event(name, folder.getFileName().toString(), true));
            JsonNode result = body.run(folder);
            write(done, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("stage " + folder.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file whole: a temporary sibling moved into place. */
    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A new key object. */
    public static ObjectNode key() {
        return MAPPER.createObjectNode();
    }

    /** The first 16 hex digits of the SHA-256 of the key's compact JSON. */
    public static String hash(JsonNode key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest(MAPPER.writeValueAsBytes(key));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of a text (for the keys of text files). */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
