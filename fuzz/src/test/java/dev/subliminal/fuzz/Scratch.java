package dev.subliminal.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private folder for the inputs of targets whose entry point reads a file (the commands read
 * paths): each input is written to a file of the given name there, replacing the previous one. The
 * folder is removed when the JVM exits.
 */
final class Scratch {

    private static final Path DIR = create();

    private Scratch() {
    }

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("subliminal-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bytes} as the file {@code name} in the scratch folder. */
    static Path file(String name, byte[] bytes) {
        try {
            return Files.write(DIR.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty folder {@code name} in the scratch folder (what was there is removed). */
    static Path folder(String name) {
        Path p = absent(name);
        try {
            return Files.createDirectory(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path in the scratch folder with nothing at it. */
    static Path absent(String name) {
        Path p = DIR.resolve(name);
        delete(p);
        return p;
    }

    private static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
