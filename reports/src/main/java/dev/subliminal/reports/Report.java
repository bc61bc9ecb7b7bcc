package dev.subliminal.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.reports.analysis.Analysis;
import dev.subliminal.reports.analysis.Kind;
import dev.subliminal.reports.analysis.Table;
import dev.subliminal.reports.html.HtmlPage;
import dev.subliminal.reports.plot.ChartFiles;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.read.Header;
import dev.subliminal.reports.read.RecordSink;
import dev.subliminal.reports.read.ResultsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The report of any set of results files and records: {@code DIR/index.html}, a self-contained page
 * (PNG figures inlined) with the configuration and provenance of each input, the summary tables with
 * 95% intervals and the plots; and each plot as {@code DIR/plots/NAME.png} and {@code .svg}. Each
 * input is read in one streaming pass. The folder is written whole or not at all: everything goes
 * to a temporary folder beside it, renamed into place at the end.
 */
public final class Report {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Report() {
    }

    /** What was written. */
    public record Written(Path index, int inputs, long records, int plots) {
    }

    /** The summaries of the inputs, before rendering. */
    public record Contents(List<ResultsReader.Summary> inputs, List<Analysis> analyses) {
    }

    /** Reads every input into its analysis; inputs of a shared kind share one analysis. */
    public static Contents read(List<Path> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no results file given");
        }
        Map<Key, Analysis> analyses = new LinkedHashMap<>();
        List<ResultsReader.Summary> summaries = new ArrayList<>();
        for (Path file : inputs) {
            summaries.add(ResultsReader.read(file, Kind::isSingleRecord, new Dispatch(analyses)));
        }
        List<Analysis> ordered = analyses.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> Kind.ALL.indexOf(e.getKey().kind())))
                .map(Map.Entry::getValue).toList();
        return new Contents(summaries, ordered);
    }

    /** Writes the report of {@code inputs} into {@code outDir}, replacing a previous report there. */
    public static Written write(List<Path> inputs, Path outDir) {
        Contents contents = read(inputs);
        Path target = outDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("cannot write the report to " + outDir + ": folder " + parent
                    + " does not exist");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("cannot write the report to " + outDir + ": it is a file");
        }
        Path staging = null;
        try {
            staging = Files.createTempDirectory(parent, "." + target.getFileName() + "-");
            if (Files.getFileStore(staging).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rwxr-xr-x"));
            }
            int plots = render(contents, staging);
            replace(staging, target);
            staging = null;
            long records = contents.inputs().stream().mapToLong(ResultsReader.Summary::records).sum();
            return new Written(target.resolve("index.html"), inputs.size(), records, plots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static int render(Contents contents, Path dir) throws IOException {
        HtmlPage page = new HtmlPage("subliminal report");
        page.heading(2, "Inputs");
        List<List<String>> rows = new ArrayList<>();
        int n = 1;
        for (ResultsReader.Summary s : contents.inputs()) {
            Header h = s.header();
            rows.add(List.of(String.valueOf(n++), h.file().toString(), h.schema(), String.valueOf(s.records()),
                    h.provenance().path("created").asText("n/a"), h.provenance().path("version").asText("n/a"),
                    s.partialLastLine() ? "partial last line skipped (run in progress or killed)" : ""));
        }
        page.table(List.of("#", "file", "schema", "records", "created", "version", "note"), rows);
        n = 1;
        for (ResultsReader.Summary s : contents.inputs()) {
            Header h = s.header();
            page.folded("Input " + n++ + ": configuration and provenance of " + h.file().getFileName(),
                    "provenance: " + pretty(h.provenance()) + "\nconfig: " + pretty(h.config()));
        }
        Path plotDir = Files.createDirectory(dir.resolve("plots"));
        int plots = 0;
        int section = 1;
        for (Analysis a : contents.analyses()) {
            page.heading(2, a.title());
            for (Table t : a.tables()) {
                page.heading(3, t.title());
                if (!t.note().isEmpty()) {
                    page.paragraph(t.note(), true);
                }
                page.table(t.header(), t.rows());
            }
            for (Plot p : a.plots()) {
                String name = section + "-" + p.name();
                byte[] png = ChartFiles.png(p.chart());
                Files.write(plotDir.resolve(name + ".png"), png);
                Files.writeString(plotDir.resolve(name + ".svg"), ChartFiles.svg(p.chart()), StandardCharsets.UTF_8);
                String title = p.chart().getTitle() == null ? p.name() : p.chart().getTitle().getText();
                page.figure(png, title, p.caption(), List.of("plots/" + name + ".png", "plots/" + name + ".svg"));
                plots++;
            }
            section++;
        }
        Files.writeString(dir.resolve("index.html"), page.render(), StandardCharsets.UTF_8);
        return plots;
    }

    private static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node.isMissingNode() ? null : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves {@code staging} to {@code target}; a previous report there is removed only after that. */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + "-old-" + System.nanoTime());
            Files.move(target, old);
        }
        try {
            Files.move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target);
            }
            throw e;
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Which analysis an input goes to: its kind's, and its file's for a per-file kind (else null). */
    private record Key(Kind kind, Path file) {
    }

    /** Sends an input to the analysis of its kind, created on first use. */
    private static final class Dispatch implements RecordSink {
        private final Map<Key, Analysis> analyses;
        private Analysis target;

        Dispatch(Map<Key, Analysis> analyses) {
            this.analyses = analyses;
        }

        @Override
        public void header(Header h) {
            Kind kind = Kind.of(h.schema()).orElseThrow(() -> new IllegalArgumentException("unknown schema \""
                    + h.schema() + "\"; reports read " + Kind.ALL.stream().map(Kind::name)
                    .collect(Collectors.joining(", ")) + " results and records"));
            target = analyses.computeIfAbsent(new Key(kind, kind.perFile() ? h.file() : null),
                    k -> kind.factory().get());
            target.header(h);
        }

        @Override
        public void record(JsonNode record) {
            target.record(record);
        }
    }
}
