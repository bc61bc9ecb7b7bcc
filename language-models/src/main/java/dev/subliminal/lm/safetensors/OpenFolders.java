package dev.subliminal.lm.safetensors;

import dev.subliminal.lm.io.FormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folders whose safetensors files this process has open (mapped). Writers refuse to write into
 * one of them, so that a checkpoint is never saved over the files it is being read from.
 */
final class OpenFolders {

    private static final ConcurrentHashMap<Path, Integer> OPEN = new ConcurrentHashMap<>();

    private OpenFolders() {
    }

    static void opened(Path file) {
        Path folder = folderOf(file);
        if (folder != null) {
            OPEN.merge(folder, 1, Integer::sum);
        }
    }

    static void closed(Path file) {
        Path folder = folderOf(file);
        if (folder != null) {
            OPEN.computeIfPresent(folder, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Throws if {@code folder} holds a file that is open for reading. */
    static void requireNotBeingRead(Path folder) {
        Path real = folderReal(folder);
        if (real != null && OPEN.containsKey(real)) {
            throw new FormatException(FormatException.name(folder),
                    "is being read (a checkpoint in it is open); write to another folder");
        }
    }

    private static Path folderOf(Path file) {
        if (file == null) {
            return null;
        }
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? null : folderReal(parent);
    }

    private static Path folderReal(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return null; // a folder that does not exist yet is not being read
        }
    }
}
