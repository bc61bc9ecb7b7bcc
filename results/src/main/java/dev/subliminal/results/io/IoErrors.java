package dev.subliminal.results.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The reason of an I/O error in the words the operating system uses ({@code Permission denied},
 * {@code No such file or directory}), so that a message says what went wrong rather than repeat
 * the path: Java's {@link AccessDeniedException} and {@link NoSuchFileException} carry only the
 * path in their message.
 */
public final class IoErrors {

    private IoErrors() {
    }

    /** The reason of {@code e}: {@code Permission denied}, {@code No such file or directory}, ... */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** {@code what + ": " + reason}, where the failing path is named when it is not {@code file} itself. */
    public static String describe(String what, Path file, IOException e) {
        String other = e instanceof FileSystemException f && f.getFile() != null
                && !Path.of(f.getFile()).equals(file) ? " (" + f.getFile() + ")" : "";
        return what + ": " + reason(e) + other;
    }

    /** An unchecked exception with {@link #describe}'s message. */
    public static UncheckedIOException unchecked(String what, Path file, IOException e) {
        return new UncheckedIOException(describe(what, file, e), e);
    }
}
