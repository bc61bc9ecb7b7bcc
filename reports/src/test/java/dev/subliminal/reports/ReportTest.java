package dev.subliminal.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole report: its page, its files, byte-identical figures, all-or-nothing output. */
class ReportTest {

    @TempDir
    Path dir;

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.map(p -> d.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * The fixtures' figures: the sweep's cosine histograms, rates against σ and against ε, and
     * first-order errors; the check records' errors; the MNIST accuracies; the certified ε*.
     */
    private static final int PLOTS = 7;

    @Test
    void writesAPageWithEveryPlotInlinedAndAsFilesByteIdenticalAcrossRuns() throws IOException {
        Report.Written w = Report.write(Fixtures.all(), dir.resolve("report"));
        assertThat(w.index()).isEqualTo(dir.resolve("report/index.html").toAbsolutePath());
        assertThat(w.inputs()).isEqualTo(6);
        assertThat(w.records()).isEqualTo(27 * 12 + 2 + 30 + 30 + 1);
        String html = Files.readString(w.index());
        Matcher m = Pattern.compile("<img alt=\"[^\"]*\" width=\"720\" height=\"\\d+\" src=\"data:image/png;base64,").matcher(html);
        int images = 0;
        while (m.find()) {
            images++;
        }
        assertThat(images).isEqualTo(w.plots());
        assertThat(w.plots()).isEqualTo(PLOTS);
        assertThat(html).doesNotContain("http://", "https://", "<script");
        assertThat(html).contains("subliminal.sweep/1", "subliminal.certificate/1", "2026-11-26T00:00:00Z",
                "MNIST auxiliary logits mnist.jsonl", "Certified step sizes ε*", "Check records", "&quot;axes&quot;");
        List<String> files = listing(w.index().getParent());
        assertThat(files.stream().filter(f -> f.endsWith(".png"))).hasSize(PLOTS);
        assertThat(files.stream().filter(f -> f.endsWith(".svg"))).hasSize(PLOTS);
        assertThat(files).contains("plots/1-cosine-histograms.png", "plots/2-check-first-order-error.svg",
                "plots/3-mnist-accuracy.png", "plots/4-epsilon-star-histogram.svg");
        assertThat(Files.readString(w.index().resolveSibling("plots/3-mnist-accuracy.svg")))
                .startsWith("<?xml").contains("<svg", "test accuracy", "n = 5 runs");
        // every figure stands alone: its file carries its title and its caption with n and the interval's level
        for (String f : files.stream().filter(f -> f.endsWith(".svg")).toList()) {
            String text = Pattern.compile("<text[^>]*>([^<]*)</text").matcher(Files.readString(
                    w.index().getParent().resolve(f))).results().map(r -> r.group(1)).collect(Collectors.joining(" "));
            assertThat(text).as(f).contains("n = ").containsAnyOf("95%", "no interval", "a count");
        }
        byte[] png = Files.readAllBytes(w.index().resolveSibling("plots/1-cosine-histograms.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(new String(png, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("tIME", "tEXt");

        Path again = Report.write(Fixtures.all(), dir.resolve("again")).index().getParent();
        assertThat(listing(again)).isEqualTo(files);
        for (String f : files) {
            if (Files.isRegularFile(again.resolve(f))) {
                assertThat(Files.readAllBytes(again.resolve(f))).as(f)
                        .isEqualTo(Files.readAllBytes(w.index().getParent().resolve(f)));
            }
        }
    }

    @Test
    void aBadInputLeavesThePreviousReportUntouched() throws IOException {
        Path out = dir.resolve("report");
        Report.write(List.of(Fixtures.of("mnist.jsonl")), out);
        List<String> before = listing(out);
        String page = Files.readString(out.resolve("index.html"));
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"schema\":\"subliminal.mnist/1\",\"config\":{}}\n"
                + "{\"key\":\"0/teacher\",\"run\":0,\"seed\":1,\"arm\":\"teacher\",\"accuracy\":7}\n");
        assertThatThrownBy(() -> Report.write(List.of(Fixtures.of("sweep.jsonl"), bad), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(bad + " line 2: field \"accuracy\" is 7, expected a number in [0, 1]");
        assertThat(listing(out)).isEqualTo(before);
        assertThat(Files.readString(out.resolve("index.html"))).isEqualTo(page);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report", "bad.jsonl");
        }
        assertThatThrownBy(() -> Report.write(List.of(Fixtures.of("mnist.jsonl")), dir.resolve("no/such/dir")))
                .hasMessageContaining("does not exist");
        assertThat(Files.exists(dir.resolve("no"))).isFalse();
    }

    @Test
    void anUnknownSchemaIsNamed() throws IOException {
        Path f = Files.writeString(dir.resolve("x.jsonl"), "{\"schema\":\"subliminal.llm/1\"}\n");
        assertThatThrownBy(() -> Report.write(List.of(f), dir.resolve("r")))
                .hasMessageStartingWith(f + " line 1: unknown schema \"subliminal.llm/1\"; known: subliminal.sweep/1, "
                        + "subliminal.check/1, subliminal.mnist/1, subliminal.certify/1, subliminal.certificate*, subliminal.mnist-sweep/1, subliminal.numbers/1, "
                        + "subliminal.leakage-sweep/1");
        assertThatThrownBy(() -> Report.write(List.of(), dir.resolve("r"))).hasMessage("no results file given");
    }
}
