package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.check.CheckRecord;
import dev.subliminal.lm.check.RoundingBound;
import dev.subliminal.simulation.check.Replay;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
            description = "Write the full record (configuration, provenance, named tensors, data, results) to FILE; "
                + "the tensors of a model of more than " + CheckRecord.INLINE_PARAMETERS + " parameters go to FILE's "
                + "name with .safetensors beside it.")
    Path json;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Check a transformer from a checkpoint folder (config.json, safetensors weights, "
                + "tokenizer.json for text files): θ0 is its weights. Of the model settings only --sequence-length, "
                + "--precision and --init-std apply.")
    Path checkpoint;

    @Option(names = "--trait-pairs", paramLabel = "FILE",
            description = "With --checkpoint: the trait's prompt/answer pairs, one 'prompt<TAB>answer' per line "
                + "(\\n, \\t, \\\\ escapes); L_T = mean −log P(answer | prompt). Default: random tokens.")
    Path traitPairs;

    @Option(names = "--sequences", paramLabel = "FILE",
            description = "With --checkpoint: the imitation sequences, one text per line (same escapes). "
                + "Default: random tokens.")
    Path sequences;

    @Option(names = "--vocabulary", paramLabel = "FILE",
            description = "With --checkpoint: restrict the imitation loss to these tokens, one token text per line "
                + "(same escapes; each must be one token), e.g. the digits. Default: the whole vocabulary.")
    Path vocabulary;

    @Override
    public Integer call() {
        List<Path> inputs = new java.util.ArrayList<>();
        for (Path p : new Path[] {data, checkpoint, traitPairs, sequences, vocabulary}) {
            if (p != null) {
                inputs.add(p);
            }
        }
        Path tensors = json == null ? null : CheckRecord.tensorsFile(json);
        if (json != null) {
            Outputs.requireDistinct(json, inputs);
            Outputs.requireAbsent(json);
            Outputs.requireDistinct(tensors, inputs);
        }
        if (checkpoint == null && (traitPairs != null || sequences != null || vocabulary != null)) {
            throw new IllegalArgumentException((traitPairs != null ? "--trait-pairs" : sequences != null
                    ? "--sequences" : "--vocabulary")
                    + " reads texts with a checkpoint's tokenizer: give --checkpoint");
        }
        CheckCase c;
        String commandLine;
        if (checkpoint != null) {
            if (data != null) {
                throw new IllegalArgumentException("--data: with --checkpoint give the student's sequences as texts "
                        + "with --sequences");
            }
            c = CheckpointCheck.build(checkpoint, traitPairs, sequences, vocabulary,
                    SettingOptions.given(spec.commandLine().getParseResult(),
                            dev.subliminal.simulation.check.CheckConfig.allSettings()), seed).checkCase();
            commandLine = "./subliminal " + String.join(" ", quoted(args()));
        } else {
            c = checkCase();
            commandLine = Replay.check(c, data);
        }
        CheckSetup setup = c.setup();
        RoundingBound.Outputs outputs = new RoundingBound.Outputs(setup);
        CheckResult r = TransmissionCheck.run(setup, Gemm.defaults(), outputs);
        RoundingBound bound = RoundingBound.of(setup, r, outputs);
        if (json != null) {
            boolean external = setup.teacherModel().parameterCount() > CheckRecord.INLINE_PARAMETERS;
            if (external) {
                Outputs.requireAbsent(tensors);
            }
            Outputs.writeNew(json, CheckRecord.toJson(c, setup, r, commandLine, dataSet(), args(), bound,
                    external ? tensors : null));
        }
        print(spec.commandLine().getOut(), c, setup, r, bound);
        return 0;
    }

    private static List<String> quoted(String[] args) {
        List<String> out = new java.util.ArrayList<>();
        for (String a : args) {
            out.add(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return out;
    }

    private void print(PrintWriter out, CheckCase c, CheckSetup s, CheckResult r, RoundingBound bound) {
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
        if (!Double.isNaN(bound.value())) {
            t.add("float32 rounding bound on |Δ_S·Δ_T error|", fmt(bound.value()));
        }
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
