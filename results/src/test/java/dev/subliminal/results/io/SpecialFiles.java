package dev.subliminal.results.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Special files for tests, made inside a test's own folder (never a real device): a FIFO with
 * {@code mkfifo}, a symbolic link; and the permissions a plain new file gets from this process's umask.
 */
public final class SpecialFiles {

    private SpecialFiles() {
    }

    /** A FIFO at {@code path}. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** Whether {@code path} is a FIFO (not followed if a link). */
    public static boolean isFifo(Path path) throws IOException {
        int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        return (mode & 0170000) == 0010000;
    }

    /** The permissions of a new file created in {@code dir} by this process without asking for any. */
    public static Set<PosixFilePermission> defaultFilePermissions(Path dir) throws IOException {
        return probe(Files.createFile(dir.resolve("permission-probe-" + System.nanoTime())));
    }

    /** The permissions of a new folder created in {@code dir} by this process without asking for any. */
    public static Set<PosixFilePermission> defaultFolderPermissions(Path dir) throws IOException {
        return probe(Files.createDirectory(dir.resolve("permission-probe-" + System.nanoTime())));
    }

    private static Set<PosixFilePermission> probe(Path p) throws IOException {
        try {
            return Files.getPosixFilePermissions(p);
        } finally {
            Files.delete(p);
        }
    }

    /** The pid of a process that has ended. */
    public static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(5);
        }
        return pid;
    }

    /** Whether this process runs as root (which reads and writes files whatever their permissions). */
    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
