package dev.subliminal.simulation.check;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.property.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A space of check cases for the property engine: which families, activations, initializations,
 * losses and architectures to draw, and the ranges of sizes, samples, ε and α. Generation draws
 * uniformly from the listed choices, sizes uniformly in their ranges, ε and α log-uniformly.
 * Shrinking removes hidden layers, narrows widths, drops inputs, outputs and samples, and rounds
 * ε, α and T to simple values, keeping every candidate inside the space and the seed unchanged.
 *
 * @param families model families to draw from
 * @param activations hidden activations
 * @param inits student initializations
 * @param losses imitation losses
 * @param traits trait losses
 * @param otherArchitecture whether the student's architecture differs from the teacher's
 * @param maxInputs largest d
 * @param maxWidth largest hidden width
 * @param maxDepth largest number of hidden layers
 * @param maxOutputs largest n
 * @param maxSamples largest number of student inputs
 * @param maxTraitSamples largest trait set
 * @param epsilonRange [min, max] of ε
 * @param alphaRange [min, max] of α
 * @param perturbation σ for perturbed inits
 */
public record CheckSpace(Set<Architecture.Family> families, Set<Activation> activations, Set<StudentInit> inits,
        Set<ImitationSpec.Kind> losses, Set<TraitKind> traits, boolean otherArchitecture, int maxInputs,
        int maxWidth, int maxDepth, int maxOutputs, int maxSamples, int maxTraitSamples, double[] epsilonRange,
        double[] alphaRange, double perturbation) implements Generator<CheckCase> {

    private static final double[] TEMPERATURES = {1, 0.5, 2};

    public CheckSpace {
        families = Set.copyOf(families);
        activations = Set.copyOf(activations);
        inits = Set.copyOf(inits);
        losses = Set.copyOf(losses);
        traits = Set.copyOf(traits);
        if (families.isEmpty() || activations.isEmpty() || inits.isEmpty() || losses.isEmpty() || traits.isEmpty()) {
            throw new IllegalArgumentException("every choice of a check space needs at least one option");
        }
        if (otherArchitecture && !inits.equals(Set.of(StudentInit.INDEPENDENT))) {
            throw new IllegalArgumentException("students of another architecture need independent inits only");
        }
        epsilonRange = epsilonRange.clone();
        alphaRange = alphaRange.clone();
    }

    /** Every family, activation, init and loss; small models (d ≤ 5, widths ≤ 8, depth ≤ 3, n ≤ 4). */
    public static CheckSpace everything() {
        return new CheckSpace(Set.of(Architecture.Family.values()), Set.of(Activation.values()),
                Set.of(StudentInit.values()), Set.of(ImitationSpec.Kind.values()), Set.of(TraitKind.values()), false,
                5, 8, 3, 4, 24, 12, new double[] {1e-5, 1e-2}, new double[] {1e-3, 1}, 0.1);
    }

    public CheckSpace withFamilies(Architecture.Family... f) {
        return new CheckSpace(Set.of(f), activations, inits, losses, traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withActivations(Activation... a) {
        return new CheckSpace(families, Set.of(a), inits, losses, traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withInits(StudentInit... i) {
        return new CheckSpace(families, activations, Set.of(i), losses, traits, otherArchitecture, maxInputs,
                maxWidth, maxDepth, maxOutputs, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withLosses(ImitationSpec.Kind... k) {
        return new CheckSpace(families, activations, inits, Set.of(k), traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    /** Students of another architecture (independent init). */
    public CheckSpace withOtherArchitecture() {
        return new CheckSpace(families, activations, Set.of(StudentInit.INDEPENDENT), losses, traits, true, maxInputs,
                maxWidth, maxDepth, maxOutputs, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withEpsilon(double min, double max) {
        return new CheckSpace(families, activations, inits, losses, traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, maxSamples, maxTraitSamples, new double[] {min, max}, alphaRange, perturbation);
    }

    public CheckSpace withMaxSamples(int students, int trait) {
        return new CheckSpace(families, activations, inits, losses, traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, students, trait, epsilonRange, alphaRange, perturbation);
    }

    @Override
    public CheckCase generate(UniformRandomProvider rng) {
        Architecture.Family family = pick(rng, families);
        Activation act = pick(rng, activations);
        int d = 1 + rng.nextInt(maxInputs);
        int n = 1 + rng.nextInt(maxOutputs);
        Architecture teacher = architecture(rng, family, act, d, n);
        Architecture student = teacher;
        if (otherArchitecture) {
            student = otherThan(rng, teacher);
        }
        StudentInit init = pick(rng, inits);
        ImitationSpec.Kind lossKind = pick(rng, losses);
        ImitationSpec imitation = lossKind == ImitationSpec.Kind.MSE ? ImitationSpec.mse()
                : new ImitationSpec(lossKind, TEMPERATURES[rng.nextInt(TEMPERATURES.length)],
                        n > 1 && rng.nextBoolean() ? 1 + rng.nextInt(n - 1) : 0);
        CheckConfig c = new CheckConfig(teacher, student, Initialization.NORMAL_FAN_IN, init, perturbation, imitation,
                pick(rng, traits), 1 + rng.nextInt(maxTraitSamples),
                rng.nextBoolean() ? InputDistribution.GAUSSIAN : InputDistribution.UNIFORM, 1 + rng.nextInt(maxSamples),
                logUniform(rng, epsilonRange), logUniform(rng, alphaRange));
        return new CheckCase(c, rng.nextLong() & Long.MAX_VALUE);
    }

    /** The smallest cases first: width 1, one sample, one output, for each family and init in the space. */
    @Override
    public List<CheckCase> edgeCases() {
        List<CheckCase> out = new ArrayList<>();
        ImitationSpec.Kind lossKind = losses.contains(ImitationSpec.Kind.CE) ? ImitationSpec.Kind.CE
                : ImitationSpec.Kind.MSE;
        TraitKind traitKind = traits.contains(TraitKind.CE) ? TraitKind.CE : TraitKind.MSE;
        long seed = 1;
        for (Architecture.Family family : sorted(families)) {
            for (StudentInit init : sorted(inits)) {
                for (int n : new int[] {1, 2}) {
                    Architecture a = family == Architecture.Family.LINEAR ? Architecture.linear(1, n)
                            : Architecture.mlp(sorted(activations).get(0), 1, 1, n);
                    Architecture s = otherArchitecture ? widened(a) : a;
                    ImitationSpec spec = lossKind == ImitationSpec.Kind.CE ? ImitationSpec.ce() : ImitationSpec.mse();
                    out.add(new CheckCase(new CheckConfig(a, s, Initialization.NORMAL_FAN_IN, init, perturbation, spec,
                            traitKind, 1, InputDistribution.GAUSSIAN, 1, epsilonRange[1], alphaRange[1]), seed++));
                }
            }
        }
        return out;
    }

    @Override
    public Stream<CheckCase> shrink(CheckCase value) {
        CheckConfig c = value.config();
        List<CheckConfig> candidates = new ArrayList<>();
        for (Architecture t : smaller(c.teacher())) {
            if (!otherArchitecture) {
                candidates.add(c.withTeacher(t).withStudent(t));
            } else if (!t.equals(c.student()) && t.inputs() == c.student().inputs() && t.outputs() == c.student().outputs()) {
                candidates.add(c.withTeacher(t));
            }
        }
        if (otherArchitecture) {
            for (Architecture s : smaller(c.student())) {
                if (!s.equals(c.teacher()) && s.inputs() == c.teacher().inputs() && s.outputs() == c.teacher().outputs()) {
                    candidates.add(c.withStudent(s));
                }
            }
            for (Architecture t : dropInputOrOutput(c.teacher())) {
                Architecture s = c.student().withSizes(resized(c.student().sizes(), t.inputs(), t.outputs()));
                if (!s.equals(t)) {
                    candidates.add(c.withArchitectures(t, s));
                }
            }
        } else {
            for (Architecture t : dropInputOrOutput(c.teacher())) {
                candidates.add(c.withTeacher(t).withStudent(t));
            }
        }
        for (int s : fewer(c.samples())) {
            candidates.add(c.withInputs(c.inputs(), s));
        }
        for (int s : fewer(c.traitSamples())) {
            candidates.add(c.withTrait(c.trait(), s));
        }
        if (c.inputs() != InputDistribution.GAUSSIAN) {
            candidates.add(c.withInputs(InputDistribution.GAUSSIAN, c.samples()));
        }
        ImitationSpec im = c.imitation();
        if (im.kind() == ImitationSpec.Kind.CE && im.distilled() != 0) {
            candidates.add(c.withImitation(new ImitationSpec(im.kind(), im.temperature(), 0)));
        }
        if (im.kind() == ImitationSpec.Kind.CE && im.temperature() != 1) {
            candidates.add(c.withImitation(new ImitationSpec(im.kind(), 1, im.distilled())));
        }
        double e = simpler(c.epsilon());
        if (e != c.epsilon() && e >= epsilonRange[0] && e <= epsilonRange[1]) {
            candidates.add(c.withEpsilon(e));
        }
        double a = simpler(c.alpha());
        if (a != c.alpha() && a >= alphaRange[0] && a <= alphaRange[1]) {
            candidates.add(c.withAlpha(a));
        }
        Set<CheckConfig> unique = new LinkedHashSet<>();
        for (CheckConfig k : candidates) {
            if (!k.equals(c) && fits(k)) {
                unique.add(k);
            }
        }
        return unique.stream().map(k -> new CheckCase(k, value.seed()));
    }

    private boolean fits(CheckConfig k) {
        return families.contains(k.teacher().family()) && families.contains(k.student().family())
                && (k.imitation().distilled() < k.teacher().outputs());
    }

    private Architecture architecture(UniformRandomProvider rng, Architecture.Family family, Activation act, int d,
            int n) {
        if (family == Architecture.Family.LINEAR) {
            return Architecture.linear(d, n);
        }
        int depth = 1 + rng.nextInt(maxDepth);
        int[] sizes = new int[depth + 2];
        sizes[0] = d;
        sizes[depth + 1] = n;
        for (int l = 1; l <= depth; l++) {
            sizes[l] = 1 + rng.nextInt(maxWidth);
        }
        return Architecture.mlp(act, sizes);
    }

    /** Another architecture with the same d and n: another family, depth, width or activation. */
    private Architecture otherThan(UniformRandomProvider rng, Architecture a) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Architecture b = architecture(rng, pick(rng, families), pick(rng, activations), a.inputs(), a.outputs());
            if (!b.equals(a)) {
                return b;
            }
        }
        return widened(a);
    }

    /** The same family of network one unit wider (a linear model becomes an MLP with 2 hidden units). */
    private static Architecture widened(Architecture a) {
        int[] s = a.sizes();
        if (a.family() == Architecture.Family.LINEAR) {
            return Architecture.mlp(a.activation(), s[0], 2, s[1]);
        }
        s[1] += 1;
        return Architecture.mlp(a.activation(), s);
    }

    private static List<Architecture> smaller(Architecture a) {
        List<Architecture> out = new ArrayList<>();
        int[] s = a.sizes();
        for (int l = 1; l < s.length - 1; l++) {
            if (s.length > 3) {
                int[] fewer = new int[s.length - 1];
                System.arraycopy(s, 0, fewer, 0, l);
                System.arraycopy(s, l + 1, fewer, l, s.length - l - 1);
                out.add(a.withSizes(fewer));
            }
            for (int w : fewer(s[l])) {
                int[] narrower = s.clone();
                narrower[l] = w;
                out.add(a.withSizes(narrower));
            }
        }
        if (a.family() == Architecture.Family.MLP && a.activation() != Activation.TANH) {
            out.add(Architecture.mlp(Activation.TANH, s));
        }
        return out;
    }

    private static List<Architecture> dropInputOrOutput(Architecture a) {
        List<Architecture> out = new ArrayList<>();
        int[] s = a.sizes();
        for (int d : fewer(s[0])) {
            int[] t = s.clone();
            t[0] = d;
            out.add(a.withSizes(t));
        }
        for (int n : fewer(s[s.length - 1])) {
            int[] t = s.clone();
            t[s.length - 1] = n;
            out.add(a.withSizes(t));
        }
        return out;
    }

    private static int[] resized(int[] sizes, int d, int n) {
        int[] t = sizes.clone();
        t[0] = d;
        t[t.length - 1] = n;
        return t;
    }

    /** 1, half, and one less than k, distinct and below k. */
    private static List<Integer> fewer(int k) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int c : new int[] {1, k / 2, k - 1}) {
            if (c >= 1 && c < k) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** x rounded to one significant digit, then to its power of ten: 3.7e-3 → 4e-3 → 1e-3. */
    static double simpler(double x) {
        if (x <= 0) {
            return x;
        }
        double oneDigit = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.0e", x));
        return oneDigit != x ? oneDigit : Math.pow(10, Math.floor(Math.log10(x)));
    }

    private static double logUniform(UniformRandomProvider rng, double[] range) {
        if (range[0] == range[1]) {
            return range[0];
        }
        double lo = Math.log(range[0]);
        double hi = Math.log(range[1]);
        return Math.exp(lo + (hi - lo) * rng.nextDouble());
    }

    private static <E extends Enum<E>> E pick(UniformRandomProvider rng, Set<E> choices) {
        List<E> list = sorted(choices);
        return list.get(rng.nextInt(list.size()));
    }

    private static <E extends Enum<E>> List<E> sorted(Set<E> choices) {
        return choices.stream().sorted().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckSpace s && s.families.equals(families) && s.activations.equals(activations)
                && s.inits.equals(inits) && s.losses.equals(losses) && s.traits.equals(traits)
                && s.otherArchitecture == otherArchitecture && s.maxInputs == maxInputs && s.maxWidth == maxWidth
                && s.maxDepth == maxDepth && s.maxOutputs == maxOutputs && s.maxSamples == maxSamples
                && s.maxTraitSamples == maxTraitSamples && Arrays.equals(s.epsilonRange, epsilonRange)
                && Arrays.equals(s.alphaRange, alphaRange) && s.perturbation == perturbation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(families, activations, inits, losses, traits, otherArchitecture, maxInputs, maxWidth,
                maxDepth, maxOutputs, maxSamples, maxTraitSamples, Arrays.hashCode(epsilonRange),
                Arrays.hashCode(alphaRange), perturbation);
    }
}
