package dev.subliminal.simulation.check;

import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ArchitectureSpace;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.property.Generator;
import dev.subliminal.theory.property.Shrink;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A space of check cases for the property engine: which model families (and, through an
 * {@link ArchitectureSpace}, which of their choices and sizes), initializations, losses and traits to
 * draw, and the ranges of samples, ε and α. Generation draws uniformly from the listed choices (in
 * their declaration order, families by name), architectures from their family's generator, sizes
 * uniformly in their ranges, ε and α log-uniformly. Shrinking asks the families for smaller
 * architectures, drops inputs, outputs and samples, and rounds ε, α and T to simple values, keeping
 * every candidate inside the space and the seed unchanged. Nothing here names a family.
 */
public final class CheckSpace implements Generator<CheckCase> {

    private static final double[] TEMPERATURES = {1, 0.5, 2};

    private final List<ModelFamily> families;
    private final ArchitectureSpace architectures;
    private final Set<StudentInit> inits;
    private final Set<ImitationSpec.Kind> losses;
    private final Set<TraitKind> traits;
    private final boolean otherArchitecture;
    private final int maxSamples;
    private final int maxTraitSamples;
    private final double[] epsilonRange;
    private final double[] alphaRange;
    private final double perturbation;

    private CheckSpace(List<ModelFamily> families, ArchitectureSpace architectures, Set<StudentInit> inits,
            Set<ImitationSpec.Kind> losses, Set<TraitKind> traits, boolean otherArchitecture, int maxSamples,
            int maxTraitSamples, double[] epsilonRange, double[] alphaRange, double perturbation) {
        if (families.isEmpty() || inits.isEmpty() || losses.isEmpty() || traits.isEmpty()) {
            throw new IllegalArgumentException("every choice of a check space needs at least one option");
        }
        if (otherArchitecture && !inits.equals(Set.of(StudentInit.INDEPENDENT))) {
            throw new IllegalArgumentException("students of another architecture need independent inits only");
        }
        this.families = families.stream().sorted(Comparator.comparing(ModelFamily::name)).toList();
        this.architectures = architectures;
        this.inits = Set.copyOf(inits);
        this.losses = Set.copyOf(losses);
        this.traits = Set.copyOf(traits);
        this.otherArchitecture = otherArchitecture;
        this.maxSamples = maxSamples;
        this.maxTraitSamples = maxTraitSamples;
        this.epsilonRange = epsilonRange.clone();
        this.alphaRange = alphaRange.clone();
        this.perturbation = perturbation;
    }

    /** Every registered family, init and loss; small models (d ≤ 5, widths ≤ 8, depth ≤ 3, n ≤ 4). */
    public static CheckSpace everything() {
        return new CheckSpace(ModelFamilies.all(), ArchitectureSpace.small(), Set.of(StudentInit.values()),
                Set.of(ImitationSpec.Kind.values()), Set.of(TraitKind.values()), false, 24, 12,
                new double[] {1e-5, 1e-2}, new double[] {1e-3, 1}, 0.1);
    }

    /** Only the named families. */
    public CheckSpace withFamilies(String... names) {
        return new CheckSpace(Arrays.stream(names).map(ModelFamilies::of).toList(), architectures, inits, losses, traits,
                otherArchitecture, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    /** Only these values of a family's choice setting (for example tanh and ReLU activations). */
    @SafeVarargs
    public final <T> CheckSpace restrict(Setting<T> setting, T... values) {
        return new CheckSpace(families, architectures.restrict(setting, values), inits, losses, traits,
                otherArchitecture, maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withInits(StudentInit... i) {
        return new CheckSpace(families, architectures, Set.of(i), losses, traits, otherArchitecture, maxSamples,
                maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withLosses(ImitationSpec.Kind... k) {
        return new CheckSpace(families, architectures, inits, Set.of(k), traits, otherArchitecture, maxSamples,
                maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    /** Students of another architecture (independent init). */
    public CheckSpace withOtherArchitecture() {
        return new CheckSpace(families, architectures, Set.of(StudentInit.INDEPENDENT), losses, traits, true,
                maxSamples, maxTraitSamples, epsilonRange, alphaRange, perturbation);
    }

    public CheckSpace withEpsilon(double min, double max) {
        return new CheckSpace(families, architectures, inits, losses, traits, otherArchitecture, maxSamples,
                maxTraitSamples, new double[] {min, max}, alphaRange, perturbation);
    }

    public CheckSpace withMaxSamples(int students, int trait) {
        return new CheckSpace(families, architectures, inits, losses, traits, otherArchitecture, students, trait,
                epsilonRange, alphaRange, perturbation);
    }

    /** The families drawn from, by name. */
    public List<String> familyNames() {
        return families.stream().map(ModelFamily::name).toList();
    }

    /** Where architectures are drawn. */
    public ArchitectureSpace architectures() {
        return architectures;
    }

    @Override
    public CheckCase generate(UniformRandomProvider rng) {
        ModelFamily family = families.get(rng.nextInt(families.size()));
        Architecture teacher = family.generate(rng, architectures, null);
        Architecture student = otherArchitecture ? otherThan(rng, teacher) : teacher;
        CheckDomain domain = CheckDomain.of(teacher);
        int n = domain.logits(teacher.outputs());
        StudentInit init = pick(rng, inits);
        ImitationSpec.Kind lossKind = pick(rng, losses);
        ImitationSpec imitation = lossKind == ImitationSpec.Kind.MSE ? ImitationSpec.mse()
                : new ImitationSpec(lossKind, TEMPERATURES[rng.nextInt(TEMPERATURES.length)],
                        n > 1 && rng.nextBoolean() ? 1 + rng.nextInt(n - 1) : 0);
        TraitKind trait = pick(rng, traits);
        int traitSamples = 1 + rng.nextInt(maxTraitSamples);
        InputDistribution inputs = rng.nextBoolean() ? InputDistribution.GAUSSIAN : InputDistribution.UNIFORM;
        if (!domain.distributions().contains(inputs)) {
            inputs = domain.distributions().get(0);
        }
        int samples = 1 + rng.nextInt(maxSamples);
        double epsilon = logUniform(rng, epsilonRange);
        double alpha = logUniform(rng, alphaRange);
        CheckConfig c = CheckConfig.of(teacher, student, values(init, imitation, trait, traitSamples, inputs, samples,
                epsilon, alpha));
        return new CheckCase(c, rng.nextLong() & Long.MAX_VALUE);
    }

    private Values values(StudentInit init, ImitationSpec imitation, TraitKind trait, int traitSamples,
            InputDistribution inputs, int samples, double epsilon, double alpha) {
        return Values.empty().with(CheckConfig.WEIGHTS, Initialization.NORMAL_FAN_IN).with(CheckConfig.INIT, init)
                .with(CheckConfig.PERTURBATION, perturbation).with(CheckConfig.LOSS, imitation.kind())
                .with(CheckConfig.TEMPERATURE, imitation.temperature()).with(CheckConfig.DISTILL, imitation.distilled())
                .with(CheckConfig.TRAIT, trait).with(CheckConfig.TRAIT_SAMPLES, traitSamples)
                .with(CheckConfig.INPUTS, inputs).with(CheckConfig.SAMPLES, samples)
                .with(CheckConfig.EPSILON, epsilon).with(CheckConfig.ALPHA, alpha);
    }

    /** The smallest cases first: one input, one sample, one or two outputs, for each family and init in the space. */
    @Override
    public List<CheckCase> edgeCases() {
        List<CheckCase> out = new ArrayList<>();
        ImitationSpec spec = losses.contains(ImitationSpec.Kind.CE) ? ImitationSpec.ce() : ImitationSpec.mse();
        TraitKind traitKind = traits.contains(TraitKind.CE) ? TraitKind.CE : TraitKind.MSE;
        long seed = 1;
        for (ModelFamily family : families) {
            for (StudentInit init : sorted(inits)) {
                for (int n : new int[] {1, 2}) {
                    Architecture a = family.smallest(architectures, 1, n);
                    Architecture s = otherArchitecture ? otherThan(Seeds.of(seed), a) : a;
                    out.add(new CheckCase(CheckConfig.of(a, s, values(init, spec, traitKind, 1,
                            CheckDomain.of(a).distributions().get(0), 1, epsilonRange[1], alphaRange[1])), seed++));
                }
            }
        }
        return out;
    }

    @Override
    public Stream<CheckCase> shrink(CheckCase value) {
        CheckConfig c = value.config();
        Architecture teacher = c.teacher();
        Architecture student = c.student();
        List<Candidate> candidates = new ArrayList<>();
        teacher.family().shrink(teacher, architectures).forEach(t -> {
            if (!otherArchitecture) {
                candidates.add(() -> c.withArchitectures(t, t));
            } else if (!t.equals(student)) {
                candidates.add(() -> c.withTeacher(t));
            }
        });
        if (otherArchitecture) {
            student.family().shrink(student, architectures).forEach(s -> {
                if (!s.equals(teacher)) {
                    candidates.add(() -> c.withStudent(s));
                }
            });
        }
        for (Architecture t : dropInputOrOutput(teacher)) {
            candidates.add(() -> c.withArchitectures(t, otherArchitecture
                    ? student.withInputsOutputs(t.inputs(), t.outputs()) : t));
        }
        for (int s : Shrink.fewer(c.get(CheckConfig.SAMPLES))) {
            candidates.add(() -> c.with(CheckConfig.SAMPLES, s));
        }
        for (int s : Shrink.fewer(c.get(CheckConfig.TRAIT_SAMPLES))) {
            candidates.add(() -> c.with(CheckConfig.TRAIT_SAMPLES, s));
        }
        if (c.get(CheckConfig.INPUTS) != InputDistribution.GAUSSIAN) {
            candidates.add(() -> c.with(CheckConfig.INPUTS, InputDistribution.GAUSSIAN));
        }
        if (c.get(CheckConfig.DISTILL) != 0) {
            candidates.add(() -> c.with(CheckConfig.DISTILL, 0));
        }
        if (c.get(CheckConfig.TEMPERATURE) != 1) {
            candidates.add(() -> c.with(CheckConfig.TEMPERATURE, 1.0));
        }
        double e = simpler(c.get(CheckConfig.EPSILON));
        if (e != c.get(CheckConfig.EPSILON) && e >= epsilonRange[0] && e <= epsilonRange[1]) {
            candidates.add(() -> c.with(CheckConfig.EPSILON, e));
        }
        double a = simpler(c.get(CheckConfig.ALPHA));
        if (a != c.get(CheckConfig.ALPHA) && a >= alphaRange[0] && a <= alphaRange[1]) {
            candidates.add(() -> c.with(CheckConfig.ALPHA, a));
        }
        Set<CheckConfig> unique = new LinkedHashSet<>();
        for (Candidate k : candidates) {
            CheckConfig config;
            try {
                config = k.config();
            } catch (IllegalArgumentException invalid) {
                continue; // e.g. fewer outputs than the logits distilled
            }
            if (!config.equals(c) && fits(config) && config.otherArchitecture() == otherArchitecture) {
                unique.add(config);
            }
        }
        return unique.stream().map(k -> new CheckCase(k, value.seed()));
    }

    /** A shrinking candidate, built lazily because some are invalid. */
    private interface Candidate {
        CheckConfig config();
    }

    private boolean fits(CheckConfig k) {
        return familyNames().contains(k.teacher().family().name())
                && familyNames().contains(k.student().family().name())
                && k.get(CheckConfig.DISTILL) < k.teacher().outputs();
    }

    /** Another architecture with the same d and n: another family, depth, width or choice. */
    private Architecture otherThan(UniformRandomProvider rng, Architecture a) {
        ModelFamily.Io io = new ModelFamily.Io(a.inputs(), a.outputs());
        for (int attempt = 0; attempt < 100; attempt++) {
            Architecture b;
            try {
                b = families.get(rng.nextInt(families.size())).generate(rng, architectures, io);
            } catch (IllegalArgumentException noSuchShape) {
                continue; // a family that cannot keep these inputs and outputs
            }
            if (!b.equals(a) && CheckDomain.of(b).name().equals(CheckDomain.of(a).name())) {
                return b;
            }
        }
        throw new IllegalStateException("no architecture other than " + a.describe() + " in this space");
    }

    /** The architecture with fewer inputs or outputs, where the family allows those sizes. */
    private static List<Architecture> dropInputOrOutput(Architecture a) {
        List<Architecture> out = new ArrayList<>();
        for (int d : Shrink.fewer(a.inputs())) {
            resized(a, d, a.outputs(), out);
        }
        for (int n : Shrink.fewer(a.outputs())) {
            resized(a, a.inputs(), n, out);
        }
        return out;
    }

    private static void resized(Architecture a, int d, int n, List<Architecture> out) {
        try {
            out.add(a.withInputsOutputs(d, n));
        } catch (IllegalArgumentException impossible) {
            // a family whose outputs must be a multiple of its inputs, say
        }
    }

    /** x rounded to one significant digit, then to its power of ten: 3.7e-3 → 4e-3 → 1e-3. */
    static double simpler(double x) {
        if (x <= 0) {
            return x;
        }
        double oneDigit = Double.parseDouble(String.format(Locale.ROOT, "%.0e", x));
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
        return o instanceof CheckSpace s && s.familyNames().equals(familyNames()) && s.architectures.equals(architectures)
                && s.inits.equals(inits) && s.losses.equals(losses) && s.traits.equals(traits)
                && s.otherArchitecture == otherArchitecture && s.maxSamples == maxSamples
                && s.maxTraitSamples == maxTraitSamples && Arrays.equals(s.epsilonRange, epsilonRange)
                && Arrays.equals(s.alphaRange, alphaRange) && s.perturbation == perturbation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(familyNames(), architectures, inits, losses, traits, otherArchitecture, maxSamples,
                maxTraitSamples, Arrays.hashCode(epsilonRange), Arrays.hashCode(alphaRange), perturbation);
    }
}
