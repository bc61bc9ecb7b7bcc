package dev.subliminal.results.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules every command follows when it writes, written once:
 *
 * <ul>
 *   <li>a command never deletes or replaces a file it did not create in this run, except a results
 *       file it resumes ({@code ResultStore}) and a folder it wrote before, which a marker file in
 *       it says ({@link #writeFolder});
 *   <li>it never writes through a special file: an output path that exists must be a regular file
 *       (checked without following links), so a link, FIFO or device is refused;
 *   <li>an output path equal to an input (by real path), or a folder holding an input, is refused
 *       ({@link #requireDistinct}, {@link #requireOutside});
 *   <li>files and folders get the user's default permissions (the umask), never 0600;
 *   <li>whole files and folders are written into a temporary sibling and moved into place, so that a
 *       failure never leaves half an output; temporary files are removed on every exit path (an
 *       exception, the end of the JVM) and, after a {@code kill -9}, swept by the next command that
 *       writes into the same folder.
 * </ul>
 *
 * Temporary names are {@code .NAME.HOST.PID.RANDOM.subliminal-tmp} (and {@code ...subliminal-old}
 * for a folder being replaced), so that a sweep removes only those of processes that are gone.
 */
public final class Outputs {

    private static final String TMP = "subliminal-tmp";
    private static final String OLD = "subliminal-old";
    private static final Pattern TEMP = Pattern.compile("^\\.(.*)\\.([A-Za-z0-9]+)\\.(\\d+)\\.([0-9a-z]+)\\.subliminal-(tmp|old)$");
    private static final String HOST = host();
    private static final long PID = ProcessHandle.current().pid();
    private static final Map<Path, Runnable> ON_EXIT = new LinkedHashMap<>();
    private static boolean hooked;

    private Outputs() {
    }

    /** Writes the content of a file, complete, at the path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** Writes the content of a folder into the (new, empty) folder it is given; returns what the caller reports. */
    @FunctionalInterface
    public interface FolderContent<T> {
        T writeTo(Path folder) throws IOException;
    }

    /** What is at {@code path}, without following a link: {@code a regular file}, {@code a FIFO}, ... */
    public static String kind(Path path) {
        try {
            int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            return switch (mode & 0170000) {
                case 0140000 -> "a socket";
                case 0120000 -> "a symbolic link";
                case 0100000 -> "a regular file";
                case 0060000 -> "a block device";
                case 0040000 -> "a folder";
                case 0020000 -> "a character device";
                case 0010000 -> "a FIFO";
                default -> "a special file";
            };
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a folder"
                        : a.isRegularFile() ? "a regular file" : "a special file";
            } catch (IOException io) {
                return "unreadable (" + IoErrors.reason(io) + ")";
            }
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable (" + IoErrors.reason(e) + ")";
        }
    }

    /**
     * Throws unless the folder of {@code file} exists and {@code file} is absent or a regular file
     * (not a link, folder, FIFO, device or socket).
     */
    public static void requireFileOrAbsent(Path file) {
        requireFolderOf(file);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot write " + file + ": it is " + kind(file)
                    + ", not a regular file; give the path of a file");
        }
    }

    /** Throws unless the folder of {@code file} exists and nothing is at {@code file}. */
    public static void requireAbsent(Path file) {
        requireFolderOf(file);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String kind = kind(file);
            throw new IllegalArgumentException("cannot write " + file + ": it exists (" + kind + ") and subliminal "
                    + "never replaces a file it did not write in this run; choose another name or remove it");
        }
    }

    private static void requireFolderOf(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write " + file + ": folder " + dir + " does not exist");
        }
    }

    /** Throws if {@code output} is, by real path, one of {@code inputs}. */
    public static void requireDistinct(Path output, Collection<Path> inputs) {
        Path out = real(output);
        for (Path in : inputs) {
            if (in != null && Files.exists(in) && real(in).equals(out)) {
                throw new IllegalArgumentException("the output " + output + " is also an input (" + in
                        + "); choose another output");
            }
        }
    }

    /** Throws if one of {@code inputs} is {@code folder} or inside it (a folder that will be replaced). */
    public static void requireOutside(Path folder, Collection<Path> inputs) {
        Path out = real(folder);
        for (Path in : inputs) {
            if (in != null && Files.exists(in) && real(in).startsWith(out)) {
                throw new IllegalArgumentException("the input " + in + " is inside the output folder " + folder
                        + ", which is written whole; choose another output folder");
            }
        }
    }

    /** The real path of an existing file, or the real path of the folder of an absent one with its name. */
    private static Path real(Path p) {
        try {
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            Path abs = p.toAbsolutePath().normalize();
            Path dir = abs.getParent();
            return dir != null && Files.exists(dir) ? dir.toRealPath().resolve(abs.getFileName()) : abs;
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * Writes the new file {@code target} whole or not at all: {@code content} writes a temporary file
     * beside it, which is then moved to {@code target} without replacing anything. Refused if
     * anything is at {@code target}.
     */
    public static void writeNew(Path target, Content content) {
        requireAbsent(target);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        sweepStale(dir);
        Path tmp = null;
        try {
            tmp = temp(dir, abs.getFileName().toString(), TMP);
            Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Path registered = tmp;
            deleteOnExit(tmp, () -> deleteQuietly(registered));
            content.writeTo(tmp);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            publish(tmp, abs, target);
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot write " + target, target, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
                keepOnExit(tmp);
            }
        }
    }

    /** Writes {@code text} as the new file {@code target} (see {@link #writeNew(Path, Content)}). */
    public static void writeNew(Path target, String text) {
        writeNew(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Moves {@code tmp} to {@code target} unless something is there: a hard link (atomic, never replaces), else a move. */
    private static void publish(Path tmp, Path abs, Path target) throws IOException {
        try {
            Files.createLink(abs, tmp);
            return;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot write " + target + ": it appeared while this command wrote it; "
                    + "the other file is left as it is");
        } catch (UnsupportedOperationException | IOException e) {
            // no hard links here: a move, which also refuses an existing target
        }
        try {
            Files.move(tmp, abs);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot write " + target + ": it appeared while this command wrote it; "
                    + "the other file is left as it is");
        }
    }

    /**
     * Writes the folder {@code target} whole or not at all: {@code content} fills a temporary sibling
     * folder, a marker file {@code marker} listing every file written is added, and the folder is
     * moved into place. An existing {@code target} is replaced only when it is empty or holds nothing
     * but the files its own marker lists (a folder this command wrote before); anything else is
     * refused before {@code content} runs.
     */
    public static <T> T writeFolder(Path target, String marker, FolderContent<T> content) {
        requireReplaceableFolder(target, marker);
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        sweepStale(parent);
        Path staging = null;
        try {
            staging = temp(parent, abs.getFileName().toString(), TMP);
            Files.createDirectory(staging);
            Path registered = staging;
            deleteOnExit(staging, () -> deleteTreeQuietly(registered));
            T result = content.writeTo(staging);
            writeMarker(staging, marker);
            replaceFolder(staging, abs, marker);
            return result;
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot write " + target, target, e);
        } finally {
            if (staging != null) {
                deleteTreeQuietly(staging);
                keepOnExit(staging);
            }
        }
    }

    /**
     * Throws unless {@code target} is absent, an empty folder, or a folder holding only the files
     * listed by its marker file {@code marker}.
     */
    public static void requireReplaceableFolder(Path target, String marker) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("cannot write " + target + ": folder " + parent + " does not exist");
        }
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot write " + target + ": it is " + kind(abs) + ", not a folder");
        }
        List<String> found = listing(abs);
        if (found.isEmpty()) {
            return;
        }
        Path m = abs.resolve(marker);
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot write " + target + ": the folder exists and was not written "
                    + "by this command (no " + marker + " in it), so it is left as it is; choose another folder");
        }
        Set<String> listed = new TreeSet<>(readMarker(m));
        listed.add(marker);
        for (String f : found) {
            if (!listed.contains(f)) {
                throw new IllegalArgumentException("cannot write " + target + ": it holds " + f + ", which this "
                        + "command did not write, so the folder is left as it is; choose another folder");
            }
        }
    }

    /** The files in a folder (relative paths), and any entry that is not a file or folder; folders themselves are not listed. */
    private static List<String> listing(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> out.add(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            ? dir.relativize(p).toString() : dir.relativize(p) + " (" + kind(p) + ")"));
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot write " + dir + ": cannot list it ("
                    + (e instanceof IOException io ? IoErrors.reason(io) : e.getMessage()) + ")");
        }
        out.sort(null);
        return out;
    }

    private static void writeMarker(Path dir, String marker) throws IOException {
        StringBuilder s = new StringBuilder("# written by subliminal; it replaces this folder only while it holds "
                + "nothing but these files:\n");
        for (String f : listing(dir)) {
            s.append(f).append('\n');
        }
        Files.writeString(dir.resolve(marker), s.toString(), StandardCharsets.UTF_8);
    }

    private static List<String> readMarker(Path marker) {
        try {
            return Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + marker, marker, e);
        }
    }

    /** Moves {@code staging} to {@code target}; a previous folder there is moved aside first and removed only after. */
    private static void replaceFolder(Path staging, Path target, String marker) throws IOException {
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            requireReplaceableFolder(target, marker);
            old = temp(target.getParent(), target.getFileName().toString(), OLD);
            Files.move(target, old);
            Path registered = old;
            deleteOnExit(old, () -> restoreOrDelete(registered, target));
        }
        try {
            Files.move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target);
                keepOnExit(old);
            }
            throw e;
        }
        if (old != null) {
            deleteTreeQuietly(old);
            keepOnExit(old);
        }
    }

    /** Puts a folder moved aside back in place if nothing replaced it, else removes it. */
    private static void restoreOrDelete(Path old, Path target) {
        if (!Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.move(old, target);
                return;
            } catch (IOException e) {
                // fall through: remove it rather than leave it
            }
        }
        deleteTreeQuietly(old);
    }

    /**
     * Removes the temporary files and folders in {@code dir} left by processes of this host that are
     * gone (a {@code kill -9}); a folder that was moved aside to be replaced goes back in place when
     * nothing replaced it.
     */
    public static void sweepStale(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.subliminal-*")) {
            for (Path p : ds) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (m.matches() && m.group(2).equals(HOST) && !alive(Long.parseLong(m.group(3)))) {
                    stale.add(p);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return; // a folder we cannot list has nothing of ours to sweep
        }
        for (Path p : stale) {
            Matcher m = TEMP.matcher(p.getFileName().toString());
            if (m.matches() && OLD.endsWith(m.group(5)) && m.group(1).length() < 120) {
                restoreOrDelete(p, dir.resolve(m.group(1)));
            } else {
                deleteTreeQuietly(p);
            }
        }
    }

    private static boolean alive(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A fresh temporary name beside {@code name} in {@code dir}. */
    private static Path temp(Path dir, String name, String suffix) {
        String base = name.length() > 120 ? name.substring(0, 120) : name;
        return dir.resolve("." + base + "." + HOST + "." + PID + "."
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "." + suffix);
    }

    /** Runs {@code action} if the JVM ends (normally or on a signal) while {@code path} is registered. */
    public static synchronized void deleteOnExit(Path path, Runnable action) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Outputs::atExit, "subliminal-cleanup"));
            hooked = true;
        }
        ON_EXIT.put(path, action);
    }

    /** Forgets {@code path}: it is complete or already removed. */
    public static synchronized void keepOnExit(Path path) {
        ON_EXIT.remove(path);
    }

    private static void atExit() {
        List<Runnable> actions;
        synchronized (Outputs.class) {
            actions = new ArrayList<>(ON_EXIT.values());
            ON_EXIT.clear();
        }
        for (Runnable a : actions) {
            try {
                a.run();
            } catch (RuntimeException e) {
                // the JVM is ending; the next command sweeps what is left
            }
        }
    }

    /** Removes a file or folder tree, ignoring errors (used on cleanup paths). */
    public static void deleteTreeQuietly(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException | UncheckedIOException e) {
            // the next sweep of this folder removes what is left
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the next sweep of this folder removes it
        }
    }

    /** This host's name, letters and digits only (temporary names carry it so that hosts sharing a folder leave each other's alone). */
    private static String host() {
        String h = "";
        for (String f : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                h = Files.readString(Path.of(f)).strip();
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (!h.isEmpty()) {
                break;
            }
        }
        if (h.isEmpty() && System.getenv("HOSTNAME") != null) {
            h = System.getenv("HOSTNAME");
        }
        h = h.replaceAll("[^A-Za-z0-9]", "");
        return h.isEmpty() ? "host" : h.length() > 32 ? h.substring(0, 32) : h;
    }
}
