package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each command's help: what it takes, in readable lines, with its exit statuses and examples. */
class HelpTest {

    private static final List<String> COMMANDS = List.of("check", "certify", "falsify", "demo", "sweep", "merge",
            "summarize", "mnist", "report", "serve");

    /** A placeholder made from a field name ({@code <traitSamples>}), not a word for the value. */
    private static final Pattern INTERNAL_PLACEHOLDER = Pattern.compile("=<[a-z]+[A-Z][A-Za-z]*>|=<[a-z]+>");

    @Test
    void everyCommandStatesItsExitStatusAndExamplesWithReadablePlaceholders() {
        for (String c : COMMANDS) {
            MainTest.Run r = MainTest.run(c, "--help");
            assertThat(r.status()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Exit status:", "  0   ", "  2   ", "Example");
            assertThat(INTERNAL_PLACEHOLDER.matcher(r.out()).find()).as(c + " help uses a field name as a placeholder:\n"
                    + r.out()).isFalse();
            List<String> lines = r.out().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                // a word cut at a dot across lines ("mnist." / "jsonl)"), as a too-narrow column wraps a file name
                boolean cut = lines.get(i).matches(".*\\.$") && lines.get(i + 1).strip().matches("^[a-z0-9]{1,8}[).,;].*")
                        && !lines.get(i).endsWith("e.g.");
                assertThat(cut).as(c + " help cuts a word:\n" + lines.get(i) + "\n" + lines.get(i + 1)).isFalse();
            }
        }
    }

    @Test
    void certifyListsOnlyWhatItTakes() {
        String help = MainTest.run("certify", "--help").out();
        assertThat(help).contains("--activation=tanh|relu", "--model=linear|mlp", "--exact", "--verify")
                .doesNotContain("--json", "gelu", "softplus", "--student-", "--layout", "transformer");
        assertThat(help).containsPattern("--epsilon=X\\s+ε at which --exact checks its identity");
        // what the help leaves out is refused with one line
        assertThat(MainTest.run("certify", "--activation", "gelu").err()).contains("gelu");
    }

    /** A sweep over four axes, as the ready-made labels grid: its table fits 100 columns unless --wide. */
    @Test
    void tablesFitAHundredColumnsAndWideShowsTheRest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path grid = java.nio.file.Files.writeString(dir.resolve("labels.yaml"), "seeds: 3\naxes:\n"
                + "  init: [same, independent]\n  samples: [8, 16]\n  epsilon: [1e-3, 1e-1]\n  labels: [full, sampled]\n");
        java.nio.file.Path out = dir.resolve("labels.jsonl");
        MainTest.Run sweep = MainTest.run("sweep", grid.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(sweep.status()).as(sweep.err()).isZero();
        MainTest.Run narrow = MainTest.run("summarize", out.toString());
        assertThat(narrow.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
        assertThat(narrow.out()).contains("independent", "sampled", "--wide prints them");
        assertThat(narrow.out().lines().limit(3)).noneMatch(l -> l.contains("p (Δ_S·Δ_T)"));
        // sampled labels equal to the control's make exact ties, which the table says
        assertThat(narrow.out()).contains("is a tie, neither > 0 nor < 0");
        MainTest.Run wide = MainTest.run("summarize", out.toString(), "--wide");
        assertThat(wide.out().lines().limit(3)).anyMatch(l -> l.contains("p (Δ_S·Δ_T)"));
        assertThat(wide.out()).contains("trait part = 0", "median rel. err").doesNotContain("--wide prints them");
        assertThat(wide.out().lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(100);
    }

    @Test
    void sweepListsItsAxesAndTheGridFormat() {
        String help = MainTest.run("sweep", "--help").out();
        assertThat(help).contains("docs/sweeps.md", "  traitSamples", "  studentSteps", "  labels", "  epsilon");
        assertThat(help).doesNotContain("docs/results.md)");
    }
}
