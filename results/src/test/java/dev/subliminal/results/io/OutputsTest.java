package dev.subliminal.results.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output rules, each on real files: links, FIFOs, folders, markers, stale temporaries of dead processes. */
class OutputsTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewFileIsWrittenWholeWithDefaultPermissionsAndNothingElseIsLeft() throws IOException {
        Path out = dir.resolve("out.json");
        Outputs.writeNew(out, "{}\n");
        assertThat(Files.readString(out)).isEqualTo("{}\n");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(SpecialFiles.defaultFilePermissions(dir));
        assertThat(names()).containsExactly("out.json");
        Path failed = dir.resolve("failed.json");
        assertThatThrownBy(() -> Outputs.writeNew(failed, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessage("cannot write " + failed + ": disk full");
        assertThatThrownBy(() -> Outputs.writeNew(failed, tmp -> {
            throw new IllegalArgumentException("bad input");
        })).hasMessage("bad input");
        assertThat(names()).containsExactly("out.json");
    }

    @Test
    void anythingAlreadyAtTheOutputPathIsRefusedAndLeftAsItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("mine.json"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
        Path fifo = SpecialFiles.fifo(dir.resolve("fifo"));
        Path folder = Files.createDirectory(dir.resolve("folder"));
        for (Path p : List.of(file, link, fifo, folder)) {
            assertThatThrownBy(() -> Outputs.writeNew(p, "new")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot write " + p + ": it exists (");
        }
        assertThat(Outputs.kind(file)).isEqualTo("a regular file");
        assertThat(Outputs.kind(link)).isEqualTo("a symbolic link");
        assertThat(Outputs.kind(fifo)).isEqualTo("a FIFO");
        assertThat(Outputs.kind(folder)).isEqualTo("a folder");
        assertThat(Outputs.kind(Path.of("/dev/null"))).isEqualTo("a character device");
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(SpecialFiles.isFifo(fifo)).isTrue();
        assertThatThrownBy(() -> Outputs.requireFileOrAbsent(link)).hasMessageContaining("it is a symbolic link");
        assertThatThrownBy(() -> Outputs.requireFileOrAbsent(fifo)).hasMessageContaining("it is a FIFO");
        assertThatThrownBy(() -> Outputs.requireFileOrAbsent(Path.of("/dev/null")))
                .hasMessageContaining("it is a character device");
        Outputs.requireFileOrAbsent(file);
        assertThatThrownBy(() -> Outputs.writeNew(dir.resolve("no/such/out.json"), "x"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void anOutputEqualToAnInputIsRefusedWhateverPathNamesIt() throws IOException {
        Path input = Files.writeString(dir.resolve("in.txt"), "1 2 3");
        Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("alias.txt"), input);
        for (Path out : List.of(input, dir.resolve("sub/../in.txt"), link)) {
            assertThatThrownBy(() -> Outputs.requireDistinct(out, List.of(input)))
                    .hasMessageContaining("is also an input");
        }
        Outputs.requireDistinct(dir.resolve("out.txt"), List.of(input));
        Path folder = dir.resolve("report");
        Files.createDirectory(folder);
        Path inside = Files.writeString(folder.resolve("full.jsonl"), "x");
        assertThatThrownBy(() -> Outputs.requireOutside(folder, List.of(inside)))
                .hasMessageContaining("is inside the output folder");
        assertThatThrownBy(() -> Outputs.requireOutside(dir, List.of(input))).hasMessageContaining("is inside");
        Outputs.requireOutside(folder, List.of(input));
    }

    @Test
    void aFolderIsReplacedOnlyWhenItHoldsNothingButWhatItsMarkerLists() throws IOException {
        Path out = dir.resolve("report");
        int n = Outputs.writeFolder(out, ".marker", d -> {
            Files.writeString(d.resolve("index.html"), "one");
            Files.createDirectory(d.resolve("plots"));
            Files.writeString(d.resolve("plots/a.png"), "png");
            return 2;
        });
        assertThat(n).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve(".marker")).stream().filter(l -> !l.startsWith("#")))
                .containsExactly("index.html", "plots/a.png");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(SpecialFiles.defaultFolderPermissions(dir));
        Outputs.writeFolder(out, ".marker", d -> Files.writeString(d.resolve("index.html"), "two"));
        assertThat(Files.readString(out.resolve("index.html"))).isEqualTo("two");
        assertThat(out.resolve("plots")).doesNotExist();
        // a file the command did not write
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Outputs.writeFolder(out, ".marker", d -> Files.writeString(d.resolve("index.html"), "3")))
                .hasMessageContaining("it holds notes.txt, which this command did not write");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.readString(out.resolve("index.html"))).isEqualTo("two");
        // a folder without a marker, and a link to a folder
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("data.csv"), "1");
        assertThatThrownBy(() -> Outputs.writeFolder(other, ".marker", d -> Files.writeString(d.resolve("x"), "")))
                .hasMessageContaining("was not written by this command (no .marker in it)");
        Path link = Files.createSymbolicLink(dir.resolve("link"), other);
        assertThatThrownBy(() -> Outputs.writeFolder(link, ".marker", d -> Files.writeString(d.resolve("x"), "")))
                .hasMessageContaining("it is a symbolic link, not a folder");
        assertThat(Files.readString(other.resolve("data.csv"))).isEqualTo("1");
        // an empty folder is used
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Outputs.writeFolder(empty, ".marker", d -> Files.writeString(d.resolve("x"), "x"));
        assertThat(empty.resolve("x")).hasContent("x");
        // a failure keeps the previous folder and leaves no staging folder
        assertThatThrownBy(() -> Outputs.writeFolder(empty, ".marker", d -> {
            Files.writeString(d.resolve("x"), "half");
            throw new IllegalArgumentException("bad input");
        })).hasMessage("bad input");
        assertThat(empty.resolve("x")).hasContent("x");
        assertThat(names()).containsExactly("empty", "link", "other", "report");
    }

    @Test
    void theTemporariesOfAProcessThatIsGoneAreSweptAndAFolderMovedAsideGoesBack() throws Exception {
        long dead = SpecialFiles.deadPid();
        long alive = ProcessHandle.current().pid();
        String host = hostOfThisProcess();
        Path staleFile = Files.writeString(dir.resolve(".out.json." + host + "." + dead + ".abc.subliminal-tmp"), "half");
        Path staleFolder = Files.createDirectory(dir.resolve(".report." + host + "." + dead + ".def.subliminal-tmp"));
        Files.writeString(staleFolder.resolve("index.html"), "half");
        Path live = Files.writeString(dir.resolve(".out.json." + host + "." + alive + ".ghi.subliminal-tmp"), "mine");
        Path otherHost = Files.writeString(dir.resolve(".out.json.elsewhere." + dead + ".jkl.subliminal-tmp"), "theirs");
        Path aside = Files.createDirectory(dir.resolve(".old." + host + "." + dead + ".mno.subliminal-old"));
        Files.writeString(aside.resolve("index.html"), "previous report");
        Path unrelated = Files.writeString(dir.resolve(".hidden"), "keep");
        Outputs.sweepStale(dir);
        assertThat(staleFile).doesNotExist();
        assertThat(staleFolder).doesNotExist();
        assertThat(live).exists();
        assertThat(otherHost).exists();
        assertThat(unrelated).exists();
        assertThat(aside).doesNotExist();
        assertThat(dir.resolve("old/index.html")).hasContent("previous report");
    }

    /** This process's host part of temporary names, read from a name it makes. */
    private String hostOfThisProcess() throws IOException {
        String[] found = new String[1];
        Outputs.writeNew(dir.resolve("probe"), tmp -> found[0] = tmp.getFileName().toString());
        Files.delete(dir.resolve("probe"));
        String[] parts = found[0].split("\\.");
        return parts[parts.length - 4];
    }

    @Test
    void ioErrorsAreToldInTheOperatingSystemsWords() throws IOException {
        Path f = dir.resolve("f");
        assertThat(IoErrors.reason(new AccessDeniedException(f.toString()))).isEqualTo("Permission denied");
        assertThat(IoErrors.reason(new NoSuchFileException(f.toString()))).isEqualTo("No such file or directory");
        assertThat(IoErrors.describe("cannot read " + f, f, new AccessDeniedException(f.toString())))
                .isEqualTo("cannot read " + f + ": Permission denied");
        assertThat(IoErrors.describe("cannot write " + f, f, new AccessDeniedException(dir + "/.tmp")))
                .isEqualTo("cannot write " + f + ": Permission denied (" + dir + "/.tmp)");
        assertThatThrownBy(() -> Inputs.open(dir.resolve("missing"))).hasMessage(dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> Inputs.open(dir)).hasMessage(dir + ": is a folder, not a file");
        assertThatThrownBy(() -> Inputs.open(Path.of("/dev/null")))
                .hasMessage("/dev/null: not a regular file (a character device)");
        Path locked = Files.writeString(dir.resolve("locked"), "secret", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        if (!SpecialFiles.root()) { // root reads it anyway
            assertThatThrownBy(() -> Inputs.open(locked).close()).hasMessage("cannot read " + locked + ": Permission denied");
        }
    }
}
