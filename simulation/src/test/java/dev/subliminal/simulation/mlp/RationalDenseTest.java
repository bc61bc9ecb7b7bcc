package dev.subliminal.simulation.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.linear.LinearFamily;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.interval.Fractions;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.IntervalVectors;
import dev.subliminal.theory.interval.RationalInterval;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.numbers.fraction.BigFraction;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The verifier's rational form of dense stacks against the point model and the certifier's interval
 * form ({@link #check} runs inside {@link IntervalDenseTest}'s property): on a degenerate box {θ} its enclosures of f, J·v and Σ Jᵀu hold what {@link Mlp} and the
 * affine model compute, up to the double computation's own rounding, and are tight; on a box around θ each of them lies inside the
 * {@link dev.subliminal.linear.IntervalDense} enclosure of the same quantity (the verifier relies on
 * that: a certificate's stated enclosure must contain the recomputed one); for an affine model they
 * are exact, equal to W x + b and ΔW x + Δb computed in fractions.
 */
class RationalDenseTest {

    /**
     * The rational form's checks on one case, run by {@link IntervalDenseTest}'s property over the same
     * generated cases, points θ, directions v, cotangents u and boxes.
     */
    static void check(CheckCase c, double[] theta, double[] v, Batch u, Interval[] box) {
        CheckSetup s = c.setup();
        Model m = s.teacherModel();
        RationalModel rm = c.config().teacher().rationalForm();
        IntervalModel im = c.config().teacher().intervalForm();
        Batch x = s.studentInputs();
        Batch f = m.forward(theta, x);
        Batch jv = m.jvp(theta, x, v);
        RationalInterval[] point = Fractions.points(theta);
        BigFraction[][] rows = Fractions.exact(x);
        for (int r = 0; r < x.rows(); r++) {
            RationalModel.Tangent t = rm.tangent(point, rows[r], Fractions.exact(v));
            for (int k = 0; k < m.outputSize(); k++) {
                tight(t.outputs()[k], f.get(r, k), "f");
                tight(t.tangents()[k], jv.get(r, k), "J·v");
            }
        }
        double[] g = m.vjp(theta, x, u);
        RationalInterval[] rg = rm.vjp(point, rows, (r, out) -> Fractions.points(u.row(r)));
        for (int i = 0; i < g.length; i++) {
            tight(rg[i], g[i], "Jᵀu");
        }
        RationalInterval[] rbox = new RationalInterval[box.length];
        for (int i = 0; i < box.length; i++) {
            rbox[i] = new RationalInterval(BigFraction.from(box[i].lo()), BigFraction.from(box[i].hi()));
        }
        Interval[][] cot = new Interval[x.rows()][];
        for (int r = 0; r < x.rows(); r++) {
            IntervalModel.Tangent it = im.tangent(box, x, r, v);
            RationalModel.Tangent rt = rm.tangent(rbox, rows[r], Fractions.exact(v));
            for (int k = 0; k < m.outputSize(); k++) {
                inside(rt.outputs()[k], it.outputs()[k], "f on a box");
                inside(rt.tangents()[k], it.tangents()[k], "J·v on a box");
            }
            cot[r] = IntervalVectors.point(u.row(r));
        }
        Interval[] ig = im.vjp(box, x, cot);
        RationalInterval[] rbg = rm.vjp(rbox, rows, (r, out) -> Fractions.points(u.row(r)));
        for (int i = 0; i < ig.length; i++) {
            inside(rbg[i], ig[i], "Jᵀu on a box");
        }
    }

    @Test
    void anAffineModelIsExact() {
        UniformRandomProvider rng = Seeds.stream(5, "rational-affine");
        LinearFamily.Linear a = new LinearFamily.Linear(3, 2);
        double[] theta = InputDistribution.GAUSSIAN.sample(8, rng);
        double[] v = InputDistribution.GAUSSIAN.sample(8, rng);
        double[] x = InputDistribution.GAUSSIAN.sample(3, rng);
        RationalModel.Tangent t = a.rationalForm().tangent(Fractions.points(theta), Fractions.exact(x), Fractions.exact(v));
        for (int i = 0; i < 2; i++) {
            BigFraction f = BigFraction.from(theta[6 + i]);
            BigFraction d = BigFraction.from(v[6 + i]);
            for (int j = 0; j < 3; j++) {
                f = f.add(BigFraction.from(theta[3 * i + j]).multiply(BigFraction.from(x[j])));
                d = d.add(BigFraction.from(v[3 * i + j]).multiply(BigFraction.from(x[j])));
            }
            assertThat(t.outputs()[i].isPoint()).isTrue();
            assertThat(t.outputs()[i].lo().subtract(f).signum()).isZero();
            assertThat(t.tangents()[i].lo().subtract(d).signum()).isZero();
        }
    }

    /** The double value lies within its own rounding (1e-12 relative) of the enclosure, which is narrow. */
    private static void tight(RationalInterval i, double value, String what) {
        double slack = 1e-12 * Math.max(1, Math.abs(value));
        assertThat(RationalInterval.down(i.lo()) - slack <= value && value <= RationalInterval.up(i.hi()) + slack)
                .as("%s = %s in %s", what, value, i).isTrue();
        double width = i.hi().subtract(i.lo()).doubleValue();
        assertThat(width).as("%s width", what).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(value)));
    }

    private static void inside(RationalInterval r, Interval i, String what) {
        assertThat(r.within(i.lo(), i.hi())).as("%s: rational %s inside interval %s", what, r, i).isTrue();
    }
}
