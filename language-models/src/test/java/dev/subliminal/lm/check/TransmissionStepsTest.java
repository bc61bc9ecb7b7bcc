package dev.subliminal.lm.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.TeacherForcing;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link TransmissionCheck#run} on transformers gives, bit for bit, the check's steps written out one
 * after another with fresh vectors (Δ_T = (−1)·∇L_T, Δ_S − Δ_S^c as a vector, the trait on rows of
 * the model's full length T with their padding logits): what the check computed before it freed
 * each batch after its last use, negated gradients in place, ran the trait on rows only as long as
 * the longest pair and spread the loss's rows over threads. Random tiny cases of both layouts, same
 * and perturbed inits, padded and full rows, in float64 and float32.
 */
class TransmissionStepsTest {

    private static final long SEED = 41;

    @Test
    void runEqualsTheStepsWrittenOut() {
        UniformRandomProvider rng = Seeds.stream(SEED, "transmission-steps");
        for (int i = 0; i < 12; i++) {
            LmCase c = LmCase.SPACE.generate(rng);
            CheckSetup base = c.setup();
            for (Precision p : Precision.values()) {
                Transformer m = ((Transformer) base.teacherModel()).withPrecision(p);
                double[] init = base.theta0();
                if (i % 3 == 2) {
                    init = Vectors.axpy(init, 0.01, Vectors.scale(1, base.theta0()));
                }
                CheckSetup s = new CheckSetup(m, base.theta0(), base.trait(), base.epsilon(), m, init, base.alpha(),
                        base.imitation(), base.studentInputs());
                CheckResult r = TransmissionCheck.run(s);
                CheckResult w = writtenOut(s);
                String what = c + " " + p;
                assertThat(r.deltaT()).as(what).containsExactly(w.deltaT());
                assertThat(r.thetaT()).as(what).containsExactly(w.thetaT());
                assertThat(r.deltaS()).as(what).containsExactly(w.deltaS());
                assertThat(r.deltaSControl()).as(what).containsExactly(w.deltaSControl());
                for (double[] pair : new double[][] {{r.dot(), w.dot()}, {r.cosine(), w.cosine()},
                    {r.traitPart(), w.traitPart()}, {r.firstOrder(), w.firstOrder()},
                    {r.traitLossBefore(), w.traitLossBefore()}, {r.traitLossStudent(), w.traitLossStudent()},
                    {r.traitLossControl(), w.traitLossControl()}}) {
                    assertThat(Double.doubleToRawLongBits(pair[0])).as(what).isEqualTo(Double.doubleToRawLongBits(pair[1]));
                }
            }
        }
    }

    /** The steps of the check, each on fresh arrays, the trait on rows of T positions. */
    private static CheckResult writtenOut(CheckSetup s) {
        Model m = s.teacherModel();
        Batch x = s.studentInputs();
        ImitationLoss loss = s.imitation();
        AnswerLikelihoodTrait trait = (AnswerLikelihoodTrait) s.trait();
        TeacherForcing tf = TeacherForcing.forModel(trait.pairs(), m);
        int k = trait.pairs().size();
        Batch z = m.forward(s.theta0(), tf.inputs());
        double[] deltaT = Vectors.scale(-1, m.vjp(s.theta0(), tf.inputs(), tf.negativeLogLikelihoodCotangent(z,
                1.0 / k)));
        double[] thetaT = Vectors.axpy(s.theta0(), s.epsilon(), deltaT);
        Batch f0 = m.forward(s.theta0(), x);
        Batch fT = m.forward(thetaT, x);
        Batch fS = s.sameInit() ? f0 : m.forward(s.studentInit(), x);
        double[] deltaS = Vectors.scale(-1, m.vjp(s.studentInit(), x, loss.gradient(fS, fT)));
        double[] deltaC = Vectors.scale(-1, m.vjp(s.studentInit(), x, loss.gradient(fS, f0)));
        double[] values = new double[3];
        double[][] at = {s.studentInit(), Vectors.axpy(s.studentInit(), s.alpha(), deltaS),
            Vectors.axpy(s.studentInit(), s.alpha(), deltaC)};
        for (int i = 0; i < 3; i++) {
            double total = 0;
            for (double lp : tf.logProbabilities(m.forward(at[i], tf.inputs()))) {
                total -= lp;
            }
            values[i] = total / k;
        }
        double dot = Vectors.dot(deltaS, deltaT);
        double part = Vectors.dot(Vectors.subtract(deltaS, deltaC), deltaT);
        Batch jT = m.jvp(s.theta0(), x, deltaT);
        Batch jS = s.sameInit() ? jT : m.jvp(s.studentInit(), x, deltaT);
        double first = s.epsilon() * loss.bilinear(f0, jS, jT);
        return new CheckResult(deltaT, thetaT, deltaS, deltaC, dot, Vectors.cosine(deltaS, deltaT), part, first,
                Math.abs(part - first), first == 0 ? Double.NaN : Math.abs(part - first) / Math.abs(first), values[0],
                values[1], values[2], true, s.sameInit());
    }
}
