package dev.subliminal.experiments.cli;

import dev.subliminal.simulation.check.Replay;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.claims.Claim;
import dev.subliminal.spec.Names;
import dev.subliminal.spec.SettingType;
import dev.subliminal.theory.property.Counterexample;
import dev.subliminal.theory.property.Outcome;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subliminal falsify}: searches for a counterexample to a named claim and shrinks it. */
@Command(name = "falsify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search generated cases for a counterexample to a named claim (see --list) with the property "
                + "engine; print 'no counterexample in N tries' or the smallest failing case found by shrinking, as a "
                + "check command line that reproduces it. Exit status 1 when a counterexample is found.",
            "Cases that fail where f is not differentiable (a ReLU pre-activation exactly at its kink) lie outside the "
                + "theorem's assumptions: they are counted and shown apart, and are not counterexamples."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no counterexample (or --list)", "1:a counterexample was found (shrunk, as a check command line)",
            "2:bad input or usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal falsify --list", "  ./subliminal falsify same-init-first-order --tries 1000 --seed 1",
            "  ./subliminal falsify independent-init-trait-part --tries 1000 --seed 1"})
final class FalsifyCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "CLAIM", description = "The claim's name, from --list.")
    String claim;

    @Option(names = "--list", description = "List the claims.")
    boolean list;

    @Option(names = "--tries", paramLabel = "N", defaultValue = "1000", description = "Cases to try, edge cases first (default: ${DEFAULT-VALUE}).")
    int tries;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the search (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (Claim c : Claim.values()) {
                out.println(Names.of(c));
                for (String line : TextTable.wrap(c.description(), TextTable.TERMINAL - 4).split("\n")) {
                    out.println("    " + line);
                }
            }
            out.print(TextTable.wrap("Every claim assumes f differentiable at θ0 on the trait and student inputs; a case "
                    + "that fails at a kink (a ReLU pre-activation exactly 0) is reported apart, as outside the "
                    + "theorem's assumptions.", TextTable.TERMINAL));
            out.flush();
            return 0;
        }
        if (claim == null) {
            throw new IllegalArgumentException("name a claim (see falsify --list)");
        }
        if (tries < 1) {
            throw new IllegalArgumentException("--tries " + tries + " must be ≥ 1");
        }
        Claim c = SettingType.choice(Claim.class).parse(claim);
        long start = System.nanoTime();
        Outcome<CheckCase> o = c.falsify(tries, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println("claim " + Names.of(c) + ": " + c.description());
        if (o.passed()) {
            out.printf("no counterexample in %d tries (seed %d, %.1f s)%n", o.casesRun(), seed, seconds);
            outside(out, o, c);
            return 0;
        }
        Counterexample<CheckCase> x = o.counterexample();
        out.printf("counterexample found at try %d (seed %d, %.1f s), shrunk in %d steps to:%n", x.caseIndex() + 1,
                seed, seconds, x.shrinkSteps());
        out.println("  " + Replay.run(x.shrunk(), c.regime()));
        out.println("because: " + x.reason());
        out.println("first failing case: " + Replay.run(x.original(), c.regime()));
        outside(out, o, c);
        return 1;
    }

    /** The failing cases at a kink: outside the theorem's assumptions, so no counterexamples. */
    private static void outside(PrintWriter out, Outcome<CheckCase> o, Claim c) {
        if (o.outside() > 0) {
            Counterexample<CheckCase> x = o.outsideExample();
            out.printf("%d failing %s outside the theorem's assumptions (f is not differentiable there) and %s no "
                    + "%s; the smallest, shrunk in %d steps:%n", o.outside(), o.outside() == 1 ? "case lies" : "cases lie",
                    o.outside() == 1 ? "is" : "are", o.outside() == 1 ? "counterexample" : "counterexamples",
                    x.shrinkSteps());
            out.println("  " + Replay.run(x.shrunk(), c.regime()));
            out.println("because: " + x.reason());
        }
        out.flush();
    }
}
