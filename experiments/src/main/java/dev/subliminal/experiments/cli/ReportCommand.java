package dev.subliminal.experiments.cli;

import dev.subliminal.reports.Report;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subliminal report}: the HTML report, tables and plots of results files and records. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write DIR/index.html, a self-contained page with the configuration and provenance of "
                + "each input, summary tables with 95%% intervals and plots, and each plot as PNG and SVG in "
                + "DIR/plots.",
            "Inputs: results files (sweep, mnist, certify; JSON Lines) and single records (check, certificate). "
                + "Each is read in one streaming pass; the folder is replaced whole or not at all."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal report epsilon.jsonl --out report",
            "  ./subliminal report sweep.jsonl mnist.jsonl certify.jsonl cert.json out.json --out report"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "Results files and records to report.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder of the report (replaced).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Report.Written w = Report.write(inputs, out);
        spec.commandLine().getOut().printf("report of %d input%s (%d records, %d plot%s) written to %s%n",
                w.inputs(), w.inputs() == 1 ? "" : "s", w.records(), w.plots(), w.plots() == 1 ? "" : "s", w.index());
        return 0;
    }
}
