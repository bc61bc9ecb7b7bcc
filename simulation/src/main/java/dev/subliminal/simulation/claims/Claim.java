package dev.subliminal.simulation.claims;

import dev.subliminal.linear.LinearFamily;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.simulation.sweep.Regime;
import dev.subliminal.simulation.sweep.RegimeResult;
import dev.subliminal.simulation.sweep.RegimeRun;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.Property;
import dev.subliminal.theory.property.PropertyCheck;
import java.util.Locale;

/**
 * Named claims about the one-step check that {@code falsify} searches for counterexamples to: each is
 * a space of generated cases and a property of one case. Some hold (the theorem's), some are false
 * outside the theorem's assumptions; adding a claim is adding one constant.
 *
 * <p>Every claim assumes, as the theorem does, that f is differentiable at θ0 (and θ_S0) on the trait
 * and student inputs. A case that fails where it is not ({@link Kinks}: a ReLU pre-activation exactly
 * at 0) is no counterexample: {@link #falsify} counts it apart as outside the assumptions.
 */
public enum Claim {

    /** The lemma: ε·Δ_Tᵀ G Δ_T ≥ 0 at the same init. Holds. */
    SAME_INIT_FIRST_ORDER("at the same init the first-order term ε·Δ_Tᵀ G Δ_T is ≥ 0",
            CheckSpace.everything().withInits(StudentInit.SAME),
            c -> {
                double first = c.run().firstOrder();
                require(first >= 0, "first-order term %s < 0", first);
            }),

    /** At finite ε the real Δ_S·Δ_T at the same init. */
    SAME_INIT_DOT("at the same init, where f is differentiable at θ0, the real Δ_S·Δ_T (finite ε ≤ 1e-2) is ≥ 0",
            CheckSpace.everything().withInits(StudentInit.SAME),
            c -> {
                double dot = c.run().dot();
                require(dot >= 0, "Δ_S·Δ_T = %s < 0", dot);
            }),

    /** Theorem 1's functional half at the same init. */
    SAME_INIT_TRAIT_LOSS("at the same init, where f is differentiable at θ0, the student's step does not raise L_T "
            + "(α ≤ 1)",
            CheckSpace.everything().withInits(StudentInit.SAME), c -> {
                CheckResult r = c.run();
                require(r.traitLossChange() <= 1e-12 * Math.max(1, r.traitLossBefore()),
                        "L_T(θ_S) − L_T(θ_S0) = %s > 0", r.traitLossChange());
            }),

    /** The trait-carrying part from an independent init, for nonlinear models. False in general. */
    INDEPENDENT_INIT_TRAIT_PART("from an independent init the trait-carrying part (Δ_S − Δ_S^c)·Δ_T of an MLP is ≥ 0",
            CheckSpace.everything().withFamilies(MlpFamily.NAME).withInits(StudentInit.INDEPENDENT),
            c -> {
                double part = c.run().traitPart();
                require(part >= 0, "trait part %s < 0", part);
            }),

    /** Linear models are the degenerate case: J does not depend on θ. Holds up to rounding. */
    LINEAR_ANY_INIT_TRAIT_PART("for linear models the trait-carrying part is ≥ 0 from any init (up to rounding)",
            CheckSpace.everything().withFamilies(LinearFamily.NAME)
                    .withInits(StudentInit.PERTURBED, StudentInit.INDEPENDENT), c -> {
                CheckResult r = c.run();
                double rounding = 1e-12 * (Vectors.norm(r.deltaS()) + Vectors.norm(r.deltaSControl()))
                        * Vectors.norm(r.deltaT());
                require(r.traitPart() >= -rounding, "trait part %s < −%s", r.traitPart(), rounding);
            }),

    /**
     * The paper's experiments train the student with Adam, the theorem with one SGD step: at the
     * same init, does the student's summed update after {@link #ADAM_STEPS} Adam steps still point
     * toward Δ_T? Adam's first step is −α·g/(|g| + δ) per coordinate, a sign step, which need not
     * follow G·Δ_T.
     */
    SAME_INIT_ADAM("at the same init a student trained with Adam (" + Claim.ADAM_STEPS + " steps) has Δ_S·Δ_T ≥ 0, "
            + "Δ_S its summed update", CheckSpace.everything().withInits(StudentInit.SAME), adam(), c -> {
                RegimeResult r = RegimeRun.run(c, adam());
                require(r.end().dot() >= 0, "summed Adam update · Δ_T = %s < 0", r.end().dot());
            }),

    /** Functional transmission across architectures: outside the theorem. */
    CROSS_ARCHITECTURE("a student of another architecture ends with L_T below a control that imitated θ0 "
            + "(whenever the teacher has a trait, Δ_T ≠ 0)",
            CheckSpace.everything().restrict(MlpFamily.ACTIVATION, Activation.TANH, Activation.RELU)
                    .withOtherArchitecture(), c -> {
                CheckResult r = c.run();
                require(Vectors.norm(r.deltaT()) == 0 || r.traitDropsBelowControl(), "L_T student %s ≥ control %s",
                        r.traitLossStudent(), r.traitLossControl());
            });

    /** The student's Adam steps in {@link #SAME_INIT_ADAM}. */
    public static final int ADAM_STEPS = 5;

    private final String description;
    private final CheckSpace space;
    private final Regime regime;
    private final Property<CheckCase> property;

    Claim(String description, CheckSpace space, Property<CheckCase> property) {
        this(description, space, Regime.theorem(), property);
    }

    Claim(String description, CheckSpace space, Regime regime, Property<CheckCase> property) {
        this.description = description;
        this.space = space;
        this.regime = regime;
        this.property = property;
    }

    private static Regime adam() {
        return Regime.of(Values.empty().with(Regime.STUDENT_STEPS, ADAM_STEPS).with(Regime.OPTIMIZER, Regime.StudentOptimizer.ADAM));
    }

    /** The regime the claim's cases run in: the theorem's, or a multi-step one. */
    public Regime regime() {
        return regime;
    }

    /** What the claim says. */
    public String description() {
        return description;
    }

    /** The cases it is checked on. */
    public CheckSpace space() {
        return space;
    }

    /**
     * Searches {@code tries} cases from {@code seed} and shrinks the first counterexample; failing
     * cases at a kink are counted apart (see {@link #outsideAssumptions}).
     */
    public Outcome<CheckCase> falsify(int tries, long seed) {
        return PropertyCheck.forAll(space).withTries(tries).withSeed(seed).withAssumptions(Claim::outsideAssumptions)
                .check(property);
    }

    /**
     * Why a case lies outside the theorem's assumptions (f not differentiable at θ0 or θ_S0 on the
     * trait or student inputs), or null when it does not.
     */
    public static String outsideAssumptions(CheckCase c) {
        Kinks k = c.setup().kinks();
        return k.any() ? "f is not differentiable: " + k.describe() : null;
    }

    private static void require(boolean holds, String format, Object... args) {
        if (!holds) {
            throw new AssertionError(String.format(Locale.ROOT, format, args));
        }
    }
}
