package dev.subliminal.lm.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file all at once or not at all: the content goes to a hidden temporary file in the same
 * folder, which is then moved onto the target in one atomic rename. An existing target is replaced
 * only when the caller says so; otherwise it is an error that names it.
 */
public final class AtomicOutput {

    private AtomicOutput() {
    }

    /** Writes the complete content of a file at the path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** Writes {@code target} atomically; refuses to replace an existing file unless {@code replace}. */
    public static void write(Path target, boolean replace, Content content) {
        Path abs = target.toAbsolutePath().normalize();
        String name = FormatException.name(target);
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new FormatException(name, "cannot be written: folder " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new FormatException(name, "cannot be written: it is a folder");
        }
        if (!replace && Files.exists(abs)) {
            throw new FormatException(name, "already exists; refusing to replace it");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            content.writeTo(tmp);
            if (replace) {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                // a plain move never replaces: if the target appeared meanwhile, it is an error
                Files.move(tmp, abs);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FormatException(name, null, "already exists; refusing to replace it", e);
        } catch (IOException e) {
            throw new FormatException(name, null, "cannot be written: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the original error is more useful
                }
            }
        }
    }
}
