package dev.subliminal.experiments.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.cli.Main;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.conv.ConvFamily;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The convolutional family ({@code cnn}) on the open registry: {@code check} runs it from its settings
 * alone, its record round-trips and replays, the property engine draws and shrinks it, a CNN student
 * of an MLP teacher runs through the different-architecture check, and certificates refuse it by name.
 */
class ConvFamilyCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).as(out + "\n" + err).isEqualTo(expectedStatus);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void checkRunsItAndItsRecordRoundTripsAndReplays() throws Exception {
        Path json = dir.resolve("r.json");
        String[] r = run(0, "check", "--model", "cnn", "--widths", "16,5,3", "--conv-channels", "2,3", "--kernel", "3",
                "--stride", "2", "--activation", "tanh", "--seed", "3", "--json", json.toString());
        assertThat(r[0]).contains("cnn 1x4x4 conv 2,3 k3 s2 dense 3-5-3 tanh");
        JsonNode record = JSON.readTree(json.toFile());
        Architecture a = ModelFamilies.fromJson(record.at("/config/teacher"));
        assertThat(a).isEqualTo(new ConvFamily.Convolutional(
                new ConvGeometry(1, 4, 4, new int[] {2, 3}, 3, 2, new int[] {5, 3}), Activation.TANH));
        assertThat(record.get("commandLine").asText()).contains("--model cnn").contains("--conv-channels 2,3");
        // same init: Δ_S·Δ_T = ε·Δ_TᵀGΔ_T + O(ε²) > 0, and the record holds the library's numbers
        CheckResult direct = new CheckCase(CheckConfig.defaults().withArchitectures(a, a), 3).run();
        assertThat(record.at("/results/dot").asDouble()).isEqualTo(direct.dot()).isPositive();
        assertThat(direct.firstOrder()).isPositive();
        String[] replay = record.get("commandLine").asText().replace("./subliminal ", "").split(" ");
        Path again = dir.resolve("again.json");
        String[] withJson = java.util.Arrays.copyOf(replay, replay.length + 2);
        withJson[replay.length] = "--json";
        withJson[replay.length + 1] = again.toString();
        run(0, withJson);
        assertThat(JSON.readTree(again.toFile()).get("results")).isEqualTo(record.get("results"));
        assertThat(run(0, "check", "--help")[0]).contains("--conv-channels").contains("--kernel");
        assertThat(run(Main.BAD_INPUT, "certify", "--model", "cnn", "--widths", "4,3")[1])
                .contains("interval certificates do not support cnn");
        assertThat(run(Main.BAD_INPUT, "check", "--model", "cnn", "--widths", "16,3", "--kernel", "4")[1])
                .contains("kernel 4").contains("odd");
    }

    @Test
    void aCnnStudentOfAnMlpTeacherRunsTheDifferentArchitectureCheck() {
        String[] r = run(0, "check", "--model", "mlp", "--widths", "16,6,3", "--student-model", "cnn",
                "--student-widths", "16,6,3", "--student-conv-channels", "2", "--init", "independent", "--seed", "4");
        assertThat(r[0]).contains("cnn 1x4x4 conv 2");
    }

    @Test
    void thePropertyEngineGeneratesAndShrinksIt() {
        CheckSpace space = CheckSpace.everything().withFamilies(ConvFamily.NAME).withInits(StudentInit.SAME)
                .restrict(dev.subliminal.simulation.mlp.MlpFamily.ACTIVATION, Activation.TANH, Activation.SOFTPLUS);
        Outcome<CheckCase> holds = PropertyCheck.forAll(space).withTries(40).withSeed(20261203L).check(c -> {
            assertThat(c.config().teacher().family().name()).isEqualTo(ConvFamily.NAME);
            assertThat(c.run().firstOrder()).isGreaterThanOrEqualTo(0.0);
        });
        assertThat(holds.passed()).as(holds.report("first order ≥ 0")).isTrue();
        Outcome<CheckCase> fails = PropertyCheck.forAll(space).withTries(40).withSeed(20261203L).check(c ->
                assertThat(c.config().teacher().parameterCount()).isLessThan(12));
        assertThat(fails.falsified()).isPresent();
        Architecture shrunk = fails.counterexample().shrunk().config().teacher();
        assertThat(shrunk.family().name()).isEqualTo(ConvFamily.NAME);
        assertThat(shrunk.parameterCount()).isGreaterThanOrEqualTo(12)
                .isLessThanOrEqualTo(fails.counterexample().original().config().teacher().parameterCount());
    }
}
