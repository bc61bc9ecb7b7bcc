package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import org.junit.jupiter.api.Test;

/**
 * The transformer as a model family: its settings read into a configuration, its record form round
 * trips, a grid varies its settings, and the property engine draws, checks and shrinks transformer
 * cases through the same {@link CheckSpace} as every other family.
 */
class TransformerFamilyTest {

    @Test
    void itsSettingsAndRecordFormRoundTrip() throws Exception {
        Architecture a = ModelFamilies.of(TransformerFamily.NAME).read(dev.subliminal.spec.Values.empty()
                .with(TransformerFamily.LAYOUT, TransformerConfig.Layout.LLAMA).with(TransformerFamily.KV_HEADS, 1)
                .with(TransformerFamily.TIED, false).with(TransformerFamily.VOCAB, 11));
        String json = new ObjectMapper().writeValueAsString(a.toJson());
        assertThat(ModelFamilies.fromJson(new ObjectMapper().readTree(json))).isEqualTo(a);
        assertThat(ModelFamilies.of(TransformerFamily.NAME).read(a.values())).isEqualTo(a);
        assertThat(a.describe()).isEqualTo("llama L2 d16 h2 kv1 V11 T8 untied");
        assertThat(a.inputs()).isEqualTo(8);
        assertThat(a.outputs()).isEqualTo(88);
        assertThatThrownBy(() -> ModelFamilies.of(TransformerFamily.NAME).read(dev.subliminal.spec.Values.empty()
                .with(TransformerFamily.HIDDEN, 10).with(TransformerFamily.HEADS, 3)))
                .hasMessageContaining("hiddenSize 10 is not a multiple of heads 3");
    }

    @Test
    void aCheckNeedsTokenInputsAndDrawsThem() {
        Architecture a = ModelFamilies.of(TransformerFamily.NAME).read(dev.subliminal.spec.Values.empty());
        assertThatThrownBy(() -> CheckConfig.defaults().withArchitectures(a, a))
                .hasMessageContaining("inputs are token sequences");
        CheckConfig c = CheckConfig.of(a, a, dev.subliminal.spec.Values.empty().with(CheckConfig.INPUTS,
                InputDistribution.UNIFORM));
        CheckResult r = new CheckCase(c, 5).run();
        assertThat(r.firstOrder()).isPositive();
        assertThat(r.dot()).isPositive();
        assertThat(r.traitLossStudent()).isLessThan(r.traitLossBefore());
    }

    @Test
    void aGridVariesItsSettings() {
        SweepGrid g = SweepGrid.of(gridJson());
        assertThat(g.cells()).hasSize(4);
        assertThat(g.cells().get(3).check().teacher().describe()).isEqualTo("llama L1 d16 h2 V32 T8");
        assertThat(g.cells().get(0).axes().get("layout").asText()).isEqualTo("gpt2");
    }

    private static com.fasterxml.jackson.databind.JsonNode gridJson() {
        try {
            return new ObjectMapper().readTree("{\"seeds\": 2, \"axes\": {\"model\": \"transformer\","
                    + " \"layout\": [\"gpt2\", \"llama\"], \"layers\": [2, 1], \"inputs\": \"uniform\"}}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePropertyEngineDrawsAndShrinksTransformers() {
        CheckSpace space = CheckSpace.everything().withFamilies(TransformerFamily.NAME).withInits(StudentInit.SAME);
        Outcome<CheckCase> holds = PropertyCheck.forAll(space).withTries(40).withSeed(20261203L).check(c ->
                assertThat(c.run().firstOrder()).isGreaterThanOrEqualTo(0.0));
        assertThat(holds.passed()).as(holds.report("first order ≥ 0")).isTrue();
        Outcome<CheckCase> fails = PropertyCheck.forAll(space).withTries(40).withSeed(20261203L).check(c ->
                assertThat(c.config().teacher().parameterCount()).isLessThan(20));
        assertThat(fails.falsified()).isPresent();
        Architecture shrunk = fails.counterexample().shrunk().config().teacher();
        assertThat(shrunk.family().name()).isEqualTo(TransformerFamily.NAME);
        assertThat(shrunk.parameterCount()).isLessThanOrEqualTo(
                fails.counterexample().original().config().teacher().parameterCount());
    }
}
