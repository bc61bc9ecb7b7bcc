package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.check.CheckRecord;
import dev.subliminal.simulation.check.Replay;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.model.Batch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subliminal check}: one transmission check for a configuration and a seed. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.CheckOptions.class,
        description = {"Run the one-step transmission check for one configuration and seed.",
            "Teacher: θ_T = θ0 + ε·Δ_T with Δ_T = −∇L_T(θ0). Student: one step of size α on imitation of the "
                + "teacher's outputs from θ_S0. Prints Δ_S·Δ_T, its cosine, the trait-carrying part "
                + "(Δ_S − Δ_S^control)·Δ_T, its first-order prediction ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)] and the "
                + "change of L_T against a control student that imitates θ0.",
            "Where a hidden pre-activation sits exactly at a ReLU kink (f not differentiable, outside the theorem's "
                + "assumptions) it prints a warning and the record counts them."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal check --init independent --seed 1",
            "  ./subliminal check --model mlp --widths 3,5,2 --activation tanh --init same --epsilon 1e-3 --seed 7 "
                + "--json out.json",
            "  ./subliminal check --student-widths 4,16,16,3 --init independent"})
final class CheckCommand extends CaseCommand {

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the full record (configuration, provenance, named tensors, data, results) to FILE.")
    Path json;

    @Override
    public Integer call() {
        if (json != null) {
            Outputs.requireDistinct(json, java.util.Collections.singletonList(data));
            Outputs.requireAbsent(json);
        }
        CheckCase c = checkCase();
        CheckSetup setup = c.setup();
        CheckResult r = TransmissionCheck.run(setup);
        if (json != null) {
            Outputs.writeNew(json, CheckRecord.toJson(c, setup, r, Replay.check(c, data), dataSet(), args()));
        }
        print(spec.commandLine().getOut(), c, setup, r);
        return 0;
    }

    private void print(PrintWriter out, CheckCase c, CheckSetup s, CheckResult r) {
        out.print(TextTable.wrap("teacher " + s.teacherModel().describe() + " (p = " + s.teacherModel().parameterCount()
                + "), student " + s.studentModel().describe() + ", init "
                + CheckConfig.INIT.format(c.config().get(CheckConfig.INIT))
                + ", loss " + s.imitation().describe() + ", trait " + s.trait().describe(), TextTable.TERMINAL));
        out.println("ε = " + c.config().get(CheckConfig.EPSILON) + ", α = " + c.config().get(CheckConfig.ALPHA) + ", "
                + s.studentInputs().rows()
                + " student inputs, seed " + c.seed());
        TextTable t = new TextTable("quantity", "value");
        if (r.sameArchitecture()) {
            t.add("Δ_S·Δ_T", fmt(r.dot()));
            t.add("cos(Δ_S, Δ_T)", fmt(r.cosine()));
            t.add("trait part (Δ_S − Δ_S^control)·Δ_T", fmt(r.traitPart()));
            t.add("first order ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)]", fmt(r.firstOrder()));
            t.add("absolute error of first order", fmt(r.absoluteError()));
            t.add("relative error of first order", fmt(r.relativeError()));
        } else {
            t.add("Δ_S·Δ_T", "undefined (other architecture)");
        }
        t.add("L_T(θ_S0)", fmt(r.traitLossBefore()));
        t.add("L_T(θ_S) − L_T(θ_S0), student", fmt(r.traitLossChange()));
        t.add("L_T(θ_C) − L_T(θ_S0), control", fmt(r.traitLossControl() - r.traitLossBefore()));
        t.add("student below control", r.traitDropsBelowControl() ? "yes" : "no");
        out.print(t.render());
        Kinks kinks = s.kinks();
        if (kinks.any()) {
            out.println("warning: f is not differentiable here: " + kinks.describe() + "; derivatives take φ′(0) = 0, "
                    + "so Δ_T = −∇L_T(θ0) is a one-sided gradient and the theorem's claims need not hold (outside its "
                    + "assumptions)");
        }
        if (json != null) {
            out.println("record written to " + json);
        }
        out.flush();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.10g", v);
    }
}
