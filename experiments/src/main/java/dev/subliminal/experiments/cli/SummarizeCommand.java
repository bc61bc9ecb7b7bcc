package dev.subliminal.experiments.cli;

import dev.subliminal.results.sweep.SweepSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code subliminal summarize FILE}: the statistics table of a sweep results file. */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Print the statistics per cell of a sweep results file (complete or not), as sweep does.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExample:%n",
        footer = {"  ./subliminal summarize epsilon.jsonl --wide"})
final class SummarizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "A sweep results file.")
    Path file;

    @CommandLine.Mixin
    TableOptions tables;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(SweepTables.render(SweepSummary.of(file), tables.width()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
