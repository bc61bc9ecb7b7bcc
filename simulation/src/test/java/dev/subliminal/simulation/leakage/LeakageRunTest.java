package dev.subliminal.simulation.leakage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.results.stats.Proportion;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/**
 * One leakage run: the soft-label gradient against central finite differences, the student at chance
 * when the soft labels carry nothing (T so large that σ(f_T/T) is exactly uniform), well above chance
 * when they carry the teacher, and the same numbers for the same seed.
 */
class LeakageRunTest {

    private static final long SEED = 20261203L;

    /** Small and quick: d = 8, C = 4, 24 transfer and 60 held-out points, 300 Adam steps. */
    private static LeakageConfig small(LeakageConfig.Model model, double temperature) {
        return LeakageConfig.of(Values.empty().with(LeakageConfig.MODEL, model).with(LeakageConfig.DIMENSION, 8)
                .with(LeakageConfig.CLASSES, 4).with(LeakageConfig.WIDTH, 16).with(LeakageConfig.SAMPLES, 24)
                .with(LeakageConfig.HELD_OUT, 60).with(LeakageConfig.TEMPERATURE, temperature)
                .with(LeakageConfig.TEACHER_STEPS, 300).with(LeakageConfig.STUDENT_STEPS, 300)
                .with(LeakageConfig.LR, 0.03));
    }

    private static Batch gaussian(UniformRandomProvider rng, int rows, int cols, double scale) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = scale * g.sample();
        }
        return new Batch(rows, cols, d);
    }

    @Test
    void theSoftLabelGradientMatchesCentralFiniteDifferences() {
        for (LeakageConfig.Model kind : LeakageConfig.Model.values()) {
            LeakageConfig c = small(kind, 2.5);
            Model model = LeakageRun.model(c);
            UniformRandomProvider rng = Seeds.of(SEED);
            Batch x = gaussian(rng, 7, 8, 1);
            double[] theta = gaussian(rng, 1, model.parameterCount(), 0.5).data();
            Batch target = LeakageRun.softTargets(gaussian(rng, 7, 4, 3), 2.5);
            ImitationLoss loss = LeakageRun.studentLoss();
            double[] analytic = model.vjp(theta, x, loss.gradient(model.forward(theta, x), target));
            double h = 1e-6;
            double worst = 0;
            for (int i = 0; i < theta.length; i++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (loss.value(model.forward(plus, x), target) - loss.value(model.forward(minus, x), target))
                        / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - analytic[i]) / (Math.abs(numeric) + 1e-4));
            }
            // central differences: O(h²) truncation plus O(ε_mach/h) rounding, both below 1e-6 here
            assertThat(worst).as(kind + ": largest relative gap over " + theta.length + " coordinates").isLessThan(1e-6);
        }
    }

    @Test
    void withExactlyUniformSoftLabelsTheStudentIsAtChance() {
        // T = 1e300: f_T/T is below 1e-298, so σ(f_T/T) is uniform to the last bit and carries nothing.
        // The held-out labels are uniform draws independent of everything the student sees, so its hits are
        // Bernoulli(1/C): the Wilson 95% interval over all seeds' held-out points must contain 1/C.
        for (LeakageConfig.Model kind : LeakageConfig.Model.values()) {
            LeakageConfig c = small(kind, 1e300);
            Proportion hits = new Proportion();
            for (long seed = SEED; seed < SEED + 12; seed++) {
                LeakageRun.Result r = LeakageRun.run(c, seed);
                assertThat(r.labelEntropy()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
                hits.addAll(Proportion.of(Math.round(r.student() * r.heldOut()), r.heldOut()));
            }
            double[] w = hits.wilson95();
            System.out.printf("seeds %d..%d, %s, T = 1e300: student held-out accuracy %.3f, Wilson 95%% [%.3f, %.3f] "
                    + "over %d points; chance 0.25%n", SEED, SEED + 11, kind, hits.rate(), w[0], w[1], hits.trials());
            assertThat(hits.trials()).isEqualTo(12 * 60);
            assertThat(w[0]).as(kind + " student").isLessThanOrEqualTo(0.25);
            assertThat(w[1]).as(kind + " student").isGreaterThanOrEqualTo(0.25);
        }
    }

    @Test
    void softLabelsAtAModerateTemperatureCarryTheTeachersMemorisedLabels() {
        // the same test would pass trivially if the student never learned: here it must beat chance by far
        LeakageConfig c = small(LeakageConfig.Model.LOGISTIC, 3);
        Proportion hits = new Proportion();
        for (long seed = SEED; seed < SEED + 6; seed++) {
            LeakageRun.Result r = LeakageRun.run(c, seed);
            hits.addAll(Proportion.of(Math.round(r.student() * r.heldOut()), r.heldOut()));
            assertThat(r.agreement()).as("seed " + seed + ": agreement with the teacher").isGreaterThan(0.8);
        }
        double[] w = hits.wilson95();
        System.out.printf("seeds %d..%d, logistic, T = 3: student held-out accuracy %.3f, Wilson 95%% [%.3f, %.3f]%n",
                SEED, SEED + 5, hits.rate(), w[0], w[1]);
        assertThat(w[0]).as("chance is 0.25").isGreaterThan(0.4);
    }

    @Test
    void aRunIsAFunctionOfItsConfigurationAndSeed() {
        LeakageConfig c = small(LeakageConfig.Model.MLP, 2).with(LeakageConfig.TRANSFER_INPUTS,
                LeakageConfig.TransferInputs.FRESH);
        assertThat(LeakageRun.run(c, 5)).isEqualTo(LeakageRun.run(c, 5));
        assertThat(LeakageRun.run(c, 5)).isNotEqualTo(LeakageRun.run(c, 6));
    }

    @Test
    void settingsAreNormalizedAndValidated() {
        LeakageConfig logistic = LeakageConfig.defaults().with(LeakageConfig.WIDTH, 7);
        assertThat(logistic.get(LeakageConfig.WIDTH)).isEqualTo(LeakageConfig.WIDTH.defaultValue());
        assertThat(logistic.with(LeakageConfig.MODEL, LeakageConfig.Model.MLP).with(LeakageConfig.WIDTH, 7)
                .get(LeakageConfig.WIDTH)).isEqualTo(7);
        assertThatThrownBy(() -> LeakageConfig.TEMPERATURE.parse("0")).hasMessageContaining("0");
        assertThatThrownBy(() -> LeakageConfig.defaults().with(LeakageConfig.MODEL, LeakageConfig.Model.MLP)
                .with(LeakageConfig.DIMENSION, 60_000).with(LeakageConfig.WIDTH, 60_000))
                .hasMessageContaining("parameters is too large");
    }
}
