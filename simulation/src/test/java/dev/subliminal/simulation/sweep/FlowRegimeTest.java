package dev.subliminal.simulation.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.sweep.Regime.StudentOptimizer;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gradient-flow regime ({@link StudentOptimizer#FLOW}): γ_t ≥ 0 along the flow on every generated
 * case, the recorded steps are SGD's (at t = k·α), SGD at a shrinking α with K_S·α fixed approaches the
 * flow's numbers, and a sweep with the flow writes the same bytes on 1 and 2 threads.
 */
class FlowRegimeTest {

    private static final long SEED = 20261203L;

    private static Regime regime(StudentOptimizer o, int steps, int every) {
        return Regime.of(Values.empty().with(Regime.STUDENT_STEPS, steps).with(Regime.OPTIMIZER, o)
                .with(Regime.RECORD_EVERY, every));
    }

    @Test
    void gammaIsNonNegativeAlongTheFlowOnEveryGeneratedCase() {
        Regime r = regime(StudentOptimizer.FLOW, 4, 1);
        int[] recorded = {0};
        Outcome<CheckCase> outcome = PropertyCheck.forAll(CheckSpace.everything()).withTries(25).withSeed(SEED)
                .check(c -> {
                    RegimeResult result;
                    try {
                        result = RegimeRun.run(c, r);
                    } catch (ArithmeticException e) {
                        return; // a flow that blows up (a large α·K_S on a steep loss) is a failure record, not a γ
                    }
                    List<RegimeResult.Point> t = result.trajectory();
                    if (t == null) {
                        return;
                    }
                    assertThat(t).extracting(RegimeResult.Point::step).containsExactly(0, 1, 2, 3, 4);
                    for (RegimeResult.Point p : t.subList(1, t.size())) {
                        if (!Double.isNaN(p.gamma())) {
                            assertThat(p.gamma()).as("γ at t = " + p.step() + "·α").isGreaterThanOrEqualTo(0.0).isFinite();
                            double scale = Math.abs(p.dot()) + Math.abs(p.signal()) + Double.MIN_NORMAL;
                            assertThat(Math.abs(p.signal() + p.residual() - p.dot())).isLessThanOrEqualTo(1e-12 * scale);
                            recorded[0]++;
                        }
                    }
                });
        assertThat(outcome.passed()).as(outcome.report("γ_t ≥ 0 along the flow")).isTrue();
        assertThat(recorded[0]).isGreaterThan(40);
    }

    @Test
    void sgdWithSmallerStepsApproachesTheFlowsRecord() {
        // same horizon K_S·α = 0.8 for every α; the flow's U·Δ_T·α, S·α and L_T are what SGD's approach
        CheckConfig base = CheckConfig.defaults().with(CheckConfig.INIT, StudentInit.INDEPENDENT)
                .with(CheckConfig.EPSILON, 1e-2);
        double horizon = 0.8;
        CheckCase flowCase = new CheckCase(base.with(CheckConfig.ALPHA, horizon / 8), 11);
        RegimeResult flow = RegimeRun.run(flowCase, regime(StudentOptimizer.FLOW, 8, 8));
        RegimeResult.Point flowEnd = flow.trajectory().get(flow.trajectory().size() - 1);
        double flowDrift = flowEnd.dot() * horizon / 8;
        double flowSignal = flowEnd.signal() * horizon / 8;
        double previousLoss = Double.NaN;
        double previousDrift = Double.NaN;
        double previousSignal = Double.NaN;
        for (int k : new int[] {8, 16, 32, 64}) {
            double alpha = horizon / k;
            RegimeResult sgd = RegimeRun.run(new CheckCase(base.with(CheckConfig.ALPHA, alpha), 11),
                    regime(StudentOptimizer.SGD, k, k));
            RegimeResult.Point end = sgd.trajectory().get(sgd.trajectory().size() - 1);
            double lossError = Math.abs(end.traitLoss() - flowEnd.traitLoss());
            double driftError = Math.abs(end.dot() * alpha - flowDrift);
            System.out.printf("α = %.4f: |L_T − L_T(flow)| = %.3g, |α·U·Δ_T − flow| = %.3g, α·S = %.5g (flow %.5g)%n",
                    alpha, lossError, driftError, end.signal() * alpha, flowSignal);
            double signalError = Math.abs(end.signal() * alpha - flowSignal);
            if (!Double.isNaN(previousLoss)) {
                assertThat(signalError).as("the accumulated signal's gap shrinks").isLessThan(previousSignal);
                assertThat(previousLoss / lossError).as("halving α halves the trait-loss gap").isBetween(1.7, 2.3);
                assertThat(previousDrift / driftError).as("halving α halves the drift gap").isBetween(1.7, 2.3);
            }
            previousLoss = lossError;
            previousDrift = driftError;
            previousSignal = signalError;
        }
    }

    @Test
    void aFlowSweepIsTheSameOnOneAndTwoThreads(@TempDir Path dir) {
        SweepGrid grid = SweepGridTest.grid("seeds: {first: 1, count: 4}\naxes:\n  init: [same, independent]\n"
                + "  epsilon: 1e-2\n  samples: 8\n  optimizer: [sgd, flow]\n  studentSteps: 6\n  recordEvery: 2\n");
        assertThat(grid.cells()).hasSize(4);
        List<String> one = run(grid, dir.resolve("one.jsonl"), 1);
        List<String> two = run(grid, dir.resolve("two.jsonl"), 2);
        assertThat(one).hasSize(16).isEqualTo(two);
        assertThat(one.get(4)).contains("\"optimizer\":\"flow\"", "\"flowAbsoluteTolerance\":1.0E-10", "\"trajectory\"");
        assertThat(one.get(0)).contains("\"optimizer\":\"sgd\"").doesNotContain("failure");
    }

    private static List<String> run(SweepGrid grid, Path file, int threads) {
        try (ResultStore store = ResultStore.open(file, SweepSchema.SCHEMA, grid.config(Shard.all()),
                JsonNodeFactory.instance.objectNode().put("run", file.toString()))) {
            SweepRunner.run(grid, Shard.all(), store, threads, (done, total) -> { });
        }
        return SweepRunnerTest.records(file);
    }
}
