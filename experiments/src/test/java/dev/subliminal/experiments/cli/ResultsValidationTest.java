package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results files are read strictly (issue 15): a sweep file written by {@code sweep}, then damaged
 * in one way, is refused by {@code summarize}, {@code merge} and {@code report} with one line naming
 * the file, the line and what is wrong, where it used to be miscounted, copied or crash.
 */
class ResultsValidationTest {

    @TempDir
    Path dir;

    private Path written;
    private List<String> lines;

    @BeforeEach
    void sweep() throws IOException {
        Path g = Files.writeString(dir.resolve("g.yaml"), "seeds: 3\naxes:\n  samples: 8\n  epsilon: [1e-3, 1e-2]\n");
        written = dir.resolve("written.jsonl");
        MainTest.Run r = MainTest.run("sweep", g.toString(), "--out", written.toString());
        assertThat(r.status()).as(r.err()).isZero();
        lines = Files.readAllLines(written, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(7);
    }

    /** The written file with line {@code n} (1-based) changed. */
    private Path damaged(int n, UnaryOperator<String> change) throws IOException {
        List<String> copy = new ArrayList<>(lines);
        copy.set(n - 1, change.apply(copy.get(n - 1)));
        return Files.writeString(dir.resolve("damaged.jsonl"), String.join("\n", copy) + "\n");
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of(2, (UnaryOperator<String>) l -> l.replaceFirst("\"dot\":[^,]*", "\"dot\":\"abc\""),
                        "line 2: field \"dot\" is \"abc\", expected a number or null"),
                Arguments.of(3, (UnaryOperator<String>) l -> l.replaceFirst("\"cell\":0", "\"cell\":\"x\""),
                        "line 3: field \"cell\" is \"x\", expected an integer"),
                Arguments.of(7, (UnaryOperator<String>) l -> l.replaceFirst("\"key\":\"1/3\",\"cell\":1",
                        "\"key\":\"999/3\",\"cell\":999"), "line 7: field \"cell\" is 999, but the grid has cells 0..1"),
                Arguments.of(4, (UnaryOperator<String>) l -> l + l.replace("\"0/3\"", "\"0/4\""),
                        "line 4: malformed JSON: Trailing token"),
                Arguments.of(4, (UnaryOperator<String>) l -> l + " trailing junk", "line 4: malformed JSON"),
                Arguments.of(5, (UnaryOperator<String>) l -> l.replaceFirst(",\"traitDropsBelowControl\":(true|false)", ""),
                        "line 5: missing field \"traitDropsBelowControl\""),
                Arguments.of(6, (UnaryOperator<String>) l -> l.replaceFirst("\"key\":\"1/2\"", "\"key\":\"1/1\"")
                        .replaceFirst("\"seed\":2", "\"seed\":1"), "line 6: key 1/1 appears twice (first on line 5)"),
                Arguments.of(2, (UnaryOperator<String>) l -> l.replaceFirst("\"cosine\":[^,]*",
                        "\"cosine\":\"" + "7".repeat(1 << 20) + "\""), "line 2: field \"cosine\" is \"777"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("damages")
    void summarizeMergeAndReportRefuseADamagedFile(int line, UnaryOperator<String> change, String message)
            throws IOException {
        Path f = damaged(line, change);
        for (String[] args : List.of(new String[] {"report", f.toString(), "--out", dir.resolve("report").toString()},
                new String[] {"summarize", f.toString()},
                new String[] {"merge", f.toString(), "--out", dir.resolve("merged.jsonl").toString()})) {
            MainTest.Run r = MainTest.run(args);
            assertThat(r.status()).as("%s: %s", args[0], r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).as(args[0]).contains(f + " " + message);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err().length()).as("a 1 MB value is not echoed whole").isLessThan(800);
            assertThat(r.out()).isEmpty();
        }
        assertThat(dir.resolve("merged.jsonl")).doesNotExist();
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void reportRefusesTheSameFileTwice() {
        MainTest.Run r = MainTest.run("report", written.toString(), dir.resolve("./written.jsonl").toString(), "--out",
                dir.resolve("report").toString());
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("is given twice");
        assertThat(dir.resolve("report")).doesNotExist();
    }
}
