package dev.subliminal.results.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One writer per file: an exclusive OS lock ({@code fcntl}) on the file itself, taken without
 * waiting. When another process holds it, the error names that process, found in the kernel's
 * table of locks ({@code /proc/locks} on Linux) by the file's device and inode.
 */
public final class Locks {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private Locks() {
    }

    /**
     * Locks the file open in {@code channel} for this process.
     *
     * @throws IllegalArgumentException naming the holder if another process (or this one) holds it
     */
    public static FileLock lock(FileChannel channel, Path file) {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IllegalArgumentException(file + " is already being written by this process (pid "
                    + ProcessHandle.current().pid() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot lock " + file + ": " + IoErrors.reason(e)
                    + "; results files need a file system that supports locks");
        }
        if (lock == null) {
            throw new IllegalArgumentException(file + " is being written by another process"
                    + holder(file).map(h -> " (" + h + ")").orElse("")
                    + "; wait for it to finish or choose another output file");
        }
        return lock;
    }

    /** The process that holds a lock on {@code file}, as {@code pid N: command line}, if it can be found. */
    public static Optional<String> holder(Path file) {
        long inode;
        long device;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            device = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_LOCKS);
        } catch (IOException e) {
            return Optional.empty();
        }
        long self = ProcessHandle.current().pid();
        List<Long> sameDevice = new ArrayList<>();
        List<Long> sameInode = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            int i = f.length > 1 && f[1].equals("->") ? 2 : 1; // "->" marks a waiter, not a holder
            if (i == 2 || f.length < i + 5) {
                continue;
            }
            String[] id = f[i + 4].split(":");
            if (id.length != 3) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(f[i + 3]);
                if (Long.parseLong(id[2]) != inode || pid == self) {
                    continue;
                }
                long major = Long.parseLong(id[0], 16);
                long minor = Long.parseLong(id[1], 16);
                (major == major(device) && minor == minor(device) ? sameDevice : sameInode).add(pid);
            } catch (NumberFormatException e) {
                // a line of another shape: not ours
            }
        }
        List<Long> pids = sameDevice.isEmpty() ? sameInode : sameDevice;
        if (pids.isEmpty()) {
            return Optional.empty();
        }
        long pid = pids.get(0);
        String command = commandLine(pid);
        // the end of a command line says what it does (the subcommand and its files), its start is the JVM
        String shown = command.length() <= 200 ? command : "…" + command.substring(command.length() - 200);
        return Optional.of(String.format(Locale.ROOT, "pid %d%s", pid, command.isEmpty() ? "" : ": " + shown));
    }

    /** The command line of a process: {@code /proc/PID/cmdline} in full, else what the JDK tells. */
    private static String commandLine(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String s = new String(b, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
            if (!s.isEmpty()) {
                return s;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    /** The major number of a Linux {@code dev_t}. */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** The minor number of a Linux {@code dev_t}. */
    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
