package dev.subliminal.results.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens input files with messages that tell the cases apart: a missing file ({@code no such
 * file}), an unreadable one ({@code Permission denied}), a folder, a special file.
 */
public final class Inputs {

    private Inputs() {
    }

    /** Throws unless {@code file} is an existing regular file (links followed). */
    public static void requireRegularFile(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + file, file, e);
        }
        if (a.isDirectory()) {
            throw new IllegalArgumentException(file + ": is a folder, not a file");
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(file + ": not a regular file (" + Outputs.kind(file) + ")");
        }
    }

    /** Opens a regular file for reading. */
    public static InputStream open(Path file) {
        requireRegularFile(file);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + file, file, e);
        }
    }
}
