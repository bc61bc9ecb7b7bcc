package dev.subliminal.simulation.mlp;

import dev.subliminal.theory.interval.IntervalModel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.IntervalVectors;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The interval evaluation against its point twin: on a degenerate box {θ} (θ moved off ReLU's kinks),
 * the enclosures of f, J·v and Σ Jᵀu contain what {@link Mlp} and the affine model compute and are
 * tight (width within 1e-9 of the values' scale); on a box around θ they contain the point values at
 * random points of the box. (The double results sit inside because rounding is monotone and every
 * interval operation rounds one step further out than the double operation it mirrors; where the
 * summation orders differ the intervals' slack covers the difference.) The same cases check the
 * rational form ({@link RationalDenseTest#check}).
 */
class IntervalDenseTest {

    @Test
    void enclosuresContainThePointModelAndAreTight() {
        CheckSpace space = CheckSpace.everything().restrict(MlpFamily.ACTIVATION, Activation.TANH, Activation.RELU)
                .withMaxSamples(6, 2);
        Outcome<CheckCase> o = PropertyCheck.forAll(space).withTries(200).withSeed(20261127L).check(c -> {
            CheckSetup s = c.setup();
            Model m = s.teacherModel();
            IntervalModel im = c.config().teacher().intervalForm();
            UniformRandomProvider rng = Seeds.stream(c.seed(), "interval-mlp");
            double[] theta = Vectors.axpy(s.theta0(), 0.01, gauss(rng, s.theta0().length));
            double[] v = gauss(rng, theta.length);
            Batch x = s.studentInputs();
            Batch u = new Batch(x.rows(), m.outputSize(), gauss(rng, x.rows() * m.outputSize()));
            Interval[] point = IntervalVectors.point(theta);
            Batch f = m.forward(theta, x);
            Batch jv = m.jvp(theta, x, v);
            for (int r = 0; r < x.rows(); r++) {
                Interval[][] t = {im.tangent(point, x, r, v).outputs(), im.tangent(point, x, r, v).tangents()};
                for (int k = 0; k < m.outputSize(); k++) {
                    tight(t[0][k], f.get(r, k), "f");
                    tight(t[1][k], jv.get(r, k), "J·v");
                }
            }
            Interval[][] cot = new Interval[x.rows()][];
            for (int r = 0; r < x.rows(); r++) {
                cot[r] = IntervalVectors.point(u.row(r));
            }
            double[] g = m.vjp(theta, x, u);
            Interval[] ig = im.vjp(point, x, cot);
            for (int i = 0; i < g.length; i++) {
                tight(ig[i], g[i], "Jᵀu");
            }
            // a box around θ holds the point values at random points inside it
            Interval[] box = IntervalVectors.segment(theta, v, 1e-3);
            double[] inside = Vectors.axpy(theta, 1e-3 * rng.nextDouble(), v);
            Batch fi = m.forward(inside, x);
            for (int r = 0; r < x.rows(); r++) {
                Interval[] out = im.forward(box, x, r);
                for (int k = 0; k < m.outputSize(); k++) {
                    assertThat(out[k].contains(fi.get(r, k))).as("f at a point of the box in %s", out[k]).isTrue();
                }
            }
            RationalDenseTest.check(c, theta, v, u, box);
        });
        assertThat(o.passed()).as(o.report("interval twin")).isTrue();
    }

    private static void tight(Interval i, double value, String what) {
        assertThat(i.contains(value)).as("%s = %s in %s", what, value, i).isTrue();
        assertThat(i.width()).as("%s width", what).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(value)));
    }

    private static double[] gauss(UniformRandomProvider rng, int n) {
        return InputDistribution.GAUSSIAN.sample(n, rng);
    }
}
