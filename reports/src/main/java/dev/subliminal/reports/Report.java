package dev.subliminal.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.reports.analysis.Analysis;
import dev.subliminal.reports.analysis.Kind;
import dev.subliminal.reports.analysis.Table;
import dev.subliminal.reports.html.HtmlPage;
import dev.subliminal.reports.plot.ChartFiles;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.schema.ProvenanceSchema;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report of any set of results files and records: {@code DIR/index.html}, a self-contained page
 * (PNG figures inlined) with the configuration and provenance of each input, the summary tables with
 * 95% intervals and the plots; and each plot as {@code DIR/plots/NAME.png} and {@code .svg}. Each
 * input is read in one streaming pass by the one reader, which checks every record against its
 * schema. The folder is written whole or not at all ({@link Outputs#writeFolder}): everything goes
 * to a temporary folder beside it, renamed into place at the end, with a marker file
 * {@value #MARKER} listing what it wrote; an existing folder is replaced only when it holds nothing
 * else, and never when an input is inside it.
 */
public final class Report {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The marker file of a report folder: the files the report wrote, which a new report may replace. */
    public static final String MARKER = ".subliminal-report";

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
        Map<Path, Path> seen = new HashMap<>();
        for (Path file : inputs) {
            Path previous = seen.put(real(file), file);
            if (previous != null) {
                throw new IllegalArgumentException(file + " is given twice" + (previous.equals(file) ? ""
                        : " (as " + previous + ")") + "; each input is reported once");
            }
        }
        Map<Key, Analysis> analyses = new LinkedHashMap<>();
        List<ResultsReader.Summary> summaries = new ArrayList<>();
        for (Path file : inputs) {
            summaries.add(ResultsReader.read(file, new Dispatch(analyses)));
        }
        List<Analysis> ordered = analyses.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> Kind.ALL.indexOf(e.getKey().kind())))
                .map(Map.Entry::getValue).toList();
        return new Contents(summaries, ordered);
    }

    /**
     * Writes the report of {@code inputs} into {@code outDir}, replacing a previous report there (a
     * folder holding only what its marker lists); any other existing folder, or one holding an
     * input, is refused before anything is read.
     */
    public static Written write(List<Path> inputs, Path outDir) {
        Outputs.requireOutside(outDir, inputs);
        Outputs.requireReplaceableFolder(outDir, MARKER);
        Contents contents = read(inputs);
        int plots = Outputs.writeFolder(outDir, MARKER, dir -> render(contents, dir));
        long records = contents.inputs().stream().mapToLong(ResultsReader.Summary::records).sum();
        return new Written(outDir.toAbsolutePath().normalize().resolve("index.html"), inputs.size(), records, plots);
    }

    private static Path real(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static int render(Contents contents, Path dir) throws IOException {
        HtmlPage page = new HtmlPage("subliminal report");
        page.heading(2, "Inputs");
        List<List<String>> rows = new ArrayList<>();
        int n = 1;
        for (ResultsReader.Summary s : contents.inputs()) {
            Header h = s.header();
            rows.add(List.of(String.valueOf(n++), String.valueOf(h.file().getFileName()), h.schema(),
                    String.valueOf(s.records()),
                    h.provenance().path(ProvenanceSchema.CREATED.name()).asText("n/a"),
                    h.provenance().path(ProvenanceSchema.VERSION.name()).asText("n/a"),
                    s.partialLastLine() ? "partial last line skipped (run in progress or killed)" : ""));
        }
        page.table(List.of("#", "file", "schema", "records", "created", "version", "note"), rows);
        n = 1;
        for (ResultsReader.Summary s : contents.inputs()) {
            Header h = s.header();
            page.folded("Input " + n++ + ": configuration and provenance of " + h.file().getFileName(),
                    "file: " + h.file().toAbsolutePath().normalize() + "\nprovenance: " + pretty(h.provenance())
                    + "\nconfig: " + pretty(h.config()));
        }
        page.paragraph("Reading the figures: nothing is pooled (one panel per cell or per setting); colour means "
                + "one thing in every figure, where the student started: " + Palette.KEY.stream().map(c -> c.name()
                + " " + colourName(c.colour())).collect(Collectors.joining(", ")) + " (Okabe–Ito, colour-blind safe); "
                + "a second category is a dash pattern. Each figure's PNG and SVG carry its caption.", true);
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
                byte[] png = ChartFiles.png(p.figure());
                Files.write(plotDir.resolve(name + ".png"), png);
                Files.writeString(plotDir.resolve(name + ".svg"), ChartFiles.svg(p.figure()), StandardCharsets.UTF_8);
                String title = p.chart().getTitle() == null ? p.name() : p.chart().getTitle().getText();
                page.figure(png, title, p.caption(), p.figure().height(),
                        List.of("plots/" + name + ".png", "plots/" + name + ".svg"));
                plots++;
            }
            section++;
        }
        Files.writeString(dir.resolve("index.html"), page.render(), StandardCharsets.UTF_8);
        return plots;
    }

    private static String colourName(java.awt.Color c) {
        return Map.of(Palette.SAME, "(green)", Palette.PERTURBED, "(orange)", Palette.INDEPENDENT, "(vermillion)",
                Palette.OTHER_ARCHITECTURE, "(purple)", Palette.MEASURED, "(blue)", Palette.PAPER, "(black)")
                .getOrDefault(c, "");
    }

    private static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node.isMissingNode() ? null : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
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
            Kind kind = Kind.of(h.schema()).orElseThrow(() -> new IllegalArgumentException("schema \""
                    + h.schema() + "\" has no report; reports read " + Kind.ALL.stream().map(Kind::name)
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
