package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.experiments.mnist.MnistGrid;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.simulation.leakage.LeakageGrid;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.sweep.SweepMerge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subliminal merge DIR... --out FILE}: the shards of a sweep into one results file. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge the results files of every shard of one sweep into the file a single-machine run "
            + "writes (the same records in the same order; only the header's provenance differs).",
            "A folder stands for its *.jsonl files. Every shard must be present and complete."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExample:%n",
        footer = {"  ./subliminal merge runs/theorem --out theorem.jsonl"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Folders or files holding the shards' results.")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The merged results file (a new "
            + "file: merge never replaces one).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Outputs.requireDistinct(out, inputs);
        Outputs.requireAbsent(out);
        List<Path> files = SweepMerge.inputs(inputs, out);
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        long[] n = new long[1];
        String schema = ResultsReader.header(files.get(0), null).schema();
        boolean mnist = MnistSweepSchema.SCHEMA.matches(schema);
        boolean leakage = LeakageSchema.SCHEMA.matches(schema);
        Outputs.writeNew(out, tmp -> n[0] = mnist
                ? SweepMerge.merge(files, tmp, Provenance.json(new ObjectMapper(), args), MnistSweepSchema.SCHEMA,
                        MnistGrid::ofConfig)
                : leakage ? SweepMerge.merge(files, tmp, Provenance.json(new ObjectMapper(), args), LeakageSchema.SCHEMA,
                        LeakageGrid::ofConfig)
                : SweepMerge.merge(files, tmp, Provenance.json(new ObjectMapper(), args)));
        spec.commandLine().getOut().println("merged " + Plural.of(files.size(), "shard file") + ", "
                + Plural.of(n[0], "record") + ", into " + out);
        return 0;
    }
}
