package dev.subliminal.simulation.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.claims.Claim;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.simulation.sweep.Regime;
import dev.subliminal.simulation.sweep.RegimeRun;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepRecord;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.property.Outcome;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The theorem's differentiability assumption, made visible: a ReLU case whose pre-activations sit
 * exactly at the kink is counted (on the trait and the student inputs), recorded by sweeps only when
 * it has kinks, and its failures are kept apart from counterexamples to the theorem.
 */
class KinksTest {

    /** check --widths 2,1,1,2 --activation relu ... --seed 6964841838110073204: Δ_S·Δ_T < 0 at the same init. */
    static final String KINK_CASE = "{\"model\": \"mlp\", \"widths\": \"2,1,1,2\", \"activation\": \"relu\", "
            + "\"init\": \"same\", \"loss\": \"ce\", \"trait\": \"ce\", \"traitSamples\": 2, \"samples\": 1, "
            + "\"epsilon\": 1e-4, \"alpha\": 0.001}";

    static final long KINK_SEED = 6964841838110073204L;

    @Test
    void theSameInitCounterexampleSitsOnKinksThatAreCountedExactly() throws Exception {
        SweepGrid grid = grid(KINK_CASE, KINK_SEED);
        CheckCase c = new CheckCase(grid.cells().get(0).check(), KINK_SEED);
        CheckSetup s = c.setup();
        CheckResult r = c.run();
        assertThat(r.dot()).isNegative();
        assertThat(r.firstOrder()).isPositive();
        // counted independently: the hidden pre-activations of the point model, in exact decimal arithmetic
        assertThat(s.kinks()).isEqualTo(new Kinks(zeros(s, s.trait() instanceof CrossEntropyTrait ce
                ? ce.inputs() : null), zeros(s, s.studentInputs())));
        assertThat(s.kinks()).isEqualTo(new Kinks(1, 1));
        assertThat(s.kinks().describe()).isEqualTo("2 pre-activations exactly at a kink (1 on the trait inputs, 1 on "
                + "the student inputs)");
        assertThat(Claim.outsideAssumptions(c)).startsWith("f is not differentiable: 2 pre-activations");
        // tanh has none, whatever θ
        CheckCase tanh = new CheckCase(c.config().withTeacher(c.config().teacher().family().read(
                c.config().teacher().values().with(MlpFamily.ACTIVATION,
                        Activation.TANH))), KINK_SEED);
        assertThat(tanh.setup().kinks()).isEqualTo(Kinks.NONE);
    }

    @Test
    void sweepRecordsCarryKinksOnlyWhenThereAreAny() throws Exception {
        SweepGrid kinked = grid(KINK_CASE, KINK_SEED);
        ObjectNode withKinks = SweepRecord.of(kinked, 0, RegimeRun.run(new CheckCase(kinked.cells().get(0).check(),
                KINK_SEED), Regime.theorem()));
        assertThat(withKinks.get("kinks").toString()).isEqualTo("{\"traitInputs\":1,\"studentInputs\":1}");
        SweepGrid smooth = grid(KINK_CASE.replace("relu", "tanh"), KINK_SEED);
        ObjectNode without = SweepRecord.of(smooth, 0, RegimeRun.run(new CheckCase(smooth.cells().get(0).check(),
                KINK_SEED), Regime.theorem()));
        assertThat(without.has("kinks")).isFalse();
        assertThat(without.fieldNames()).toIterable().last().isEqualTo("traitLossBefore");
    }

    /**
     * {@code falsify same-init-trait-loss --seed 11} (and 0): the only failing case lies on a kink, so
     * it is reported apart and the claim has no counterexample; its shrunk case still fails and still
     * sits on a kink.
     */
    @Test
    void falsifyKeepsKinkCasesApartFromCounterexamples() {
        for (long seed : new long[] {0, 11}) {
            Outcome<CheckCase> o = Claim.SAME_INIT_TRAIT_LOSS.falsify(1000, seed);
            assertThat(o.passed()).as(o.report("same-init-trait-loss")).isTrue();
            assertThat(o.outside()).isEqualTo(1);
            CheckCase shrunk = o.outsideExample().shrunk();
            assertThat(shrunk.setup().kinks().any()).isTrue();
            assertThat(shrunk.run().traitLossChange()).isPositive();
            assertThat(o.outsideExample().reason()).contains("L_T(θ_S) − L_T(θ_S0) = ", "outside the assumptions: "
                    + "f is not differentiable");
        }
    }

    /** Hidden pre-activations exactly 0 at θ0, from a BigDecimal forward pass of the MLP's layout. */
    private static int zeros(CheckSetup s, Batch x) {
        int[] sizes = ((Mlp) s.teacherModel()).sizes();
        double[] theta = s.theta0();
        int count = 0;
        for (int r = 0; r < x.rows(); r++) {
            BigDecimal[] a = new BigDecimal[sizes[0]];
            for (int j = 0; j < a.length; j++) {
                a[j] = new BigDecimal(x.get(r, j));
            }
            int off = 0;
            for (int l = 0; l + 2 < sizes.length; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                BigDecimal[] z = new BigDecimal[out];
                for (int i = 0; i < out; i++) {
                    BigDecimal sum = new BigDecimal(theta[off + out * in + i]);
                    for (int j = 0; j < in; j++) {
                        sum = sum.add(new BigDecimal(theta[off + i * in + j]).multiply(a[j]));
                    }
                    z[i] = sum;
                    count += sum.signum() == 0 ? 1 : 0;
                }
                off += out * in + out;
                for (int i = 0; i < out; i++) {
                    z[i] = z[i].signum() > 0 ? z[i] : BigDecimal.ZERO;
                }
                a = z;
            }
        }
        return count;
    }

    private static SweepGrid grid(String axes, long seed) throws Exception {
        JsonNode root = new ObjectMapper().readTree("{\"seeds\": {\"first\": " + seed + ", \"count\": 1}, \"axes\": "
                + axes + "}");
        return SweepGrid.of(root);
    }
}
