package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.io.DataFiles;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the commands that run one check case share: the case's settings (added as options by
 * {@link SettingOptions.CheckOptions}, which each subclass names in its {@code @Command}), the seed
 * and an optional file of student inputs.
 */
abstract class CaseCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED",
            description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Read the student inputs from FILE (one vector per line, comma or space separated).")
    Path data;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configuration given on the command line, refused when it would not fit in the heap. */
    CheckConfig config() {
        CheckConfig c = SettingOptions.check(spec.commandLine().getParseResult());
        MemoryBudget.require(c.memoryBytes(), "the check");
        return c;
    }

    private DataFiles.DataSet dataSet;

    /** The data set of {@code --data}, read once; null without it. */
    DataFiles.DataSet dataSet() {
        if (data != null && dataSet == null) {
            dataSet = DataFiles.read(data);
        }
        return dataSet;
    }

    /** The case: the configuration, the seed and the data file's inputs if one was given. */
    CheckCase checkCase() {
        return new CheckCase(config(), seed, data == null ? null : dataSet().batch());
    }

    /** The command's arguments as given, for provenance. */
    String[] args() {
        return spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
    }
}
