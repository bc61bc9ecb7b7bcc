package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.check.CheckRecord;
import dev.subliminal.experiments.io.AtomicFiles;
import dev.subliminal.experiments.io.DataFiles;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.simulation.check.Architecture;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.check.TraitKind;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Initialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subliminal check}: one transmission check for a configuration and a seed. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the one-step transmission check for one configuration and seed.",
            "Teacher: θ_T = θ0 + ε·Δ_T with Δ_T = −∇L_T(θ0). Student: one step of size α on imitation of the "
                + "teacher's outputs from θ_S0. Prints Δ_S·Δ_T, its cosine, the trait-carrying part "
                + "(Δ_S − Δ_S^control)·Δ_T, its first-order prediction ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)] and the "
                + "change of L_T against a control student that imitates θ0."})
class CheckCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "mlp", description = "Model family: linear or mlp (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--widths", defaultValue = "4,8,3",
            description = "Layer sizes, inputs first and outputs last (default: ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--activation", defaultValue = "tanh",
            description = "Hidden activation: tanh, relu, gelu or softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--student-model", description = "Student's model family, when it differs from the teacher's.")
    String studentModel;

    @Option(names = "--student-widths", description = "Student's layer sizes, when they differ.")
    String studentWidths;

    @Option(names = "--student-activation", description = "Student's hidden activation, when it differs.")
    String studentActivation;

    @Option(names = "--weights", defaultValue = "normal-fan-in",
            description = "Initialization: normal-fan-in (N(0,1/fan_in) weights, zero biases) or uniform-fan-in "
                    + "(PyTorch's default) (default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--init", defaultValue = "same",
            description = "Student init: same, perturbed or independent (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--perturbation", defaultValue = "0.1", description = "σ of a perturbed init (default: ${DEFAULT-VALUE}).")
    double perturbation;

    @Option(names = "--loss", defaultValue = "ce", description = "Imitation loss: mse or ce (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--temperature", defaultValue = "1", description = "Softmax temperature T of ce (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--distill", defaultValue = "0",
            description = "Distil only the last K logits with ce; 0 means all (default: ${DEFAULT-VALUE}).")
    int distill;

    @Option(names = "--trait", defaultValue = "ce",
            description = "Trait loss L_T: ce on random labels or mse on random targets (default: ${DEFAULT-VALUE}).")
    String trait;

    @Option(names = "--trait-samples", defaultValue = "16", description = "Size of the trait set (default: ${DEFAULT-VALUE}).")
    int traitSamples;

    @Option(names = "--inputs", defaultValue = "gaussian",
            description = "Student inputs: gaussian or uniform (default: ${DEFAULT-VALUE}).")
    String inputs;

    @Option(names = "--samples", defaultValue = "64", description = "Number of student inputs (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--data", description = "Read the student inputs from FILE (one vector per line, comma or space separated).")
    Path data;

    @Option(names = "--epsilon", defaultValue = "1e-4", description = "ε, the teacher's step (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--alpha", defaultValue = "0.1", description = "α, the student's step (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the full record (configuration, provenance, named tensors, data, results) to FILE.")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CheckCase c = new CheckCase(config(), seed, data == null ? null : DataFiles.read(data));
        CheckSetup setup = c.setup();
        CheckResult r = TransmissionCheck.run(setup);
        if (json != null) {
            String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
            AtomicFiles.write(json, CheckRecord.toJson(c, setup, r, args));
        }
        print(spec.commandLine().getOut(), c, setup, r);
        return 0;
    }

    /** Largest model {@code check} accepts, so that a typo cannot exhaust memory. */
    static final long MAX_PARAMETERS = 50_000_000;

    /** Largest number of input values (samples × inputs) {@code check} draws. */
    static final long MAX_INPUT_VALUES = 100_000_000;

    CheckConfig config() {
        if (distill == 1) {
            throw new IllegalArgumentException("--distill 1: a softmax over one logit is constant, so nothing is "
                    + "distilled; use 0 (all logits) or at least 2");
        }
        int[] teacherSizes = sizes(widths, "--widths");
        int[] studentSizes = studentWidths == null ? null : sizes(studentWidths, "--student-widths");
        if ((long) Math.max(samples, traitSamples) * teacherSizes[0] > MAX_INPUT_VALUES) {
            throw new IllegalArgumentException("--samples " + samples + " / --trait-samples " + traitSamples
                    + " × " + teacherSizes[0] + " inputs exceeds " + MAX_INPUT_VALUES + " values");
        }
        Architecture teacher = architecture(model, teacherSizes, activation, "--widths");
        Architecture student = teacher;
        if (studentModel != null || studentWidths != null || studentActivation != null) {
            student = architecture(studentModel == null ? model : studentModel,
                    studentSizes == null ? teacherSizes : studentSizes,
                    studentActivation == null ? activation : studentActivation, "--student-widths");
        }
        ImitationSpec imitation = new ImitationSpec(ImitationSpec.Kind.parse(loss), temperature, distill);
        return new CheckConfig(teacher, student, Initialization.parse(weights), StudentInit.parse(init), perturbation,
                imitation, TraitKind.parse(trait), traitSamples, InputDistribution.parse(inputs), samples, epsilon,
                alpha);
    }

    private static Architecture architecture(String family, int[] sizes, String act, String flag) {
        Architecture.Family f = Architecture.Family.parse(family);
        if (f == Architecture.Family.LINEAR && sizes.length != 2) {
            throw new IllegalArgumentException(flag + " " + text(sizes) + ": a linear model takes two sizes, inputs,outputs");
        }
        if (f == Architecture.Family.MLP && sizes.length < 3) {
            throw new IllegalArgumentException(flag + " " + text(sizes)
                    + ": an mlp takes at least three sizes, inputs,hidden...,outputs");
        }
        long parameters = 0;
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] < 1) {
                throw new IllegalArgumentException(flag + " " + text(sizes) + ": every size must be ≥ 1");
            }
            if (l > 0) {
                parameters += (long) sizes[l] * (sizes[l - 1] + 1L);
            }
        }
        if (parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException(flag + " " + text(sizes) + ": the model would have " + parameters
                    + " parameters; check supports at most " + MAX_PARAMETERS);
        }
        return new Architecture(f, sizes, Activation.parse(act));
    }

    private static int[] sizes(String text, String flag) {
        String[] cells = text.split(",", -1);
        int[] sizes = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            try {
                sizes[i] = Integer.parseInt(cells[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + text + ": '" + cells[i]
                        + "' is not a size; give comma-separated integers such as 4,8,3");
            }
        }
        return sizes;
    }

    private static String text(int[] sizes) {
        return String.join(",", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }

    private void print(PrintWriter out, CheckCase c, CheckSetup s, CheckResult r) {
        out.println("teacher " + s.teacherModel().describe() + " (p = " + s.teacherModel().parameterCount()
                + "), student " + s.studentModel().describe() + ", init " + c.config().studentInit().cliName()
                + ", loss " + s.imitation().describe() + ", trait " + s.trait().describe());
        out.println("ε = " + c.config().epsilon() + ", α = " + c.config().alpha() + ", " + s.studentInputs().rows()
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
        if (json != null) {
            out.println("record written to " + json);
        }
        out.flush();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.10g", v);
    }
}
