package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.results.Texts;
import dev.subliminal.results.io.IoErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code subliminal} command line. Usage errors and bad input print one line naming the problem
 * and exit with status 2; {@code --verbose} adds the stack trace.
 */
@Command(name = "subliminal", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check, measure and report the transmission theorem of subliminal learning.",
        exitCodeListHeading = "%nExit status (every command; check each command's --help for more):%n",
        exitCodeList = {"0:done", "1:a negative finding: falsify found a counterexample, certify proved no range "
                + "or a certificate did not re-check", "2:bad input or usage (one line names the problem)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal demo", "  ./subliminal check --init independent --seed 1",
            "  ./subliminal sweep sweeps/epsilon.yaml", "  ./subliminal help sweep"},
        subcommands = {CheckCommand.class, CertifyCommand.class, FalsifyCommand.class, DemoCommand.class,
            SweepCommand.class, MergeCommand.class, SummarizeCommand.class, MnistCommand.class, NumbersCommand.class,
            LmCommand.class, ServeCommand.class, LlmRunCommand.class,
            ReportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad input and usage errors. */
    public static final int BAD_INPUT = 2;

    /** Declared so picocli accepts the flag everywhere; the error handlers read it from the raw arguments. */
    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("subliminal: " + message(e) + " (see --help)");
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                    || e instanceof ArithmeticException) {
                err.println(c.getCommandSpec().qualifiedName() + ": " + message(e));
                if (verbose) {
                    e.printStackTrace(err);
                }
                return BAD_INPUT;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the work's arrays are unreachable once the error has left the command, so there is room to say so
            err.println("subliminal: out of memory: the heap of " + MemoryBudget.size(Runtime.getRuntime().maxMemory())
                    + " was too small for this configuration (the estimate before the start is rough); raise it "
                    + "(SUBLIMINAL_JAVA_OPTS=-Xmx...) or choose a smaller configuration");
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        }
    }

    /** The longest error message printed: longer ones keep their beginning and end. */
    static final int MESSAGE_LIMIT = 600;

    /**
     * The one line printed for an error: its message on one line, at most {@value #MESSAGE_LIMIT}
     * characters, with the operating system's reason for an I/O error (Permission denied, ...) when
     * the message does not say it.
     */
    static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UncheckedIOException && e.getCause() instanceof IOException io) {
            String reason = IoErrors.reason(io);
            if (!m.contains(reason)) {
                m = m + " (" + reason + ")";
            }
        }
        return Texts.abbreviate(m.replace('\n', ' ').replace('\r', ' '), MESSAGE_LIMIT);
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"subliminal " + Provenance.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
