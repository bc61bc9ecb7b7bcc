package dev.subliminal.experiments.cli;

import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.mnist.MnistSweepSummary;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code subliminal summarize FILE}: the statistics table of a sweep results file. */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Print the statistics per cell of a sweep results file (a check sweep's, an MNIST sweep's or a leakage sweep's; "
            + "complete or not), as sweep does.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExample:%n",
        footer = {"  ./subliminal summarize epsilon.jsonl --wide"})
final class SummarizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "A sweep results file (subliminal.sweep/1 or "
            + "subliminal.mnist-sweep/1 or subliminal.leakage-sweep/1).")
    Path file;

    @CommandLine.Mixin
    TableOptions tables;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String schema = ResultsReader.header(file, null).schema();
        if (LeakageSchema.SCHEMA.matches(schema)) {
            spec.commandLine().getOut().print(LeakageTables.render(LeakageSummary.of(file), tables.width()));
        } else if (MnistSweepSchema.SCHEMA.matches(schema)) {
            spec.commandLine().getOut().print(MnistSweepTables.render(MnistSweepSummary.of(file), tables.width()));
        } else {
            spec.commandLine().getOut().print(SweepTables.render(SweepSummary.of(file), tables.width()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
