package dev.subliminal.experiments.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.cli.Main;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import dev.subliminal.theory.random.Seeds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry is open: {@link ResidualMlpFamily}, declared only in test code and registered from
 * test resources, runs through {@code check}, a sweep grid, the property engine and a record round
 * trip, with a setting ({@code residualScale}) that no main file names.
 */
class OpenRegistryTest {

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
    void theTestFamilysDerivativesMatchFiniteDifferences() {
        Model m = new ResidualMlp(new int[] {3, 4, 4, 4, 2}, dev.subliminal.simulation.mlp.Activation.TANH, 0.5);
        UniformRandomProvider rng = Seeds.of(11);
        double[] theta = new double[m.parameterCount()];
        double[] v = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextDouble() - 0.5;
            v[i] = rng.nextDouble() - 0.5;
        }
        double[] xs = new double[5 * 3];
        double[] us = new double[5 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rng.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < us.length; i++) {
            us[i] = rng.nextDouble() - 0.5;
        }
        Batch x = new Batch(5, 3, xs);
        Batch u = new Batch(5, 2, us);
        double h = 1e-6;
        Batch plus = m.forward(Vectors.axpy(theta, h, v), x);
        Batch minus = m.forward(Vectors.axpy(theta, -h, v), x);
        Batch jv = m.jvp(theta, x, v);
        for (int k = 0; k < jv.data().length; k++) {
            assertThat(jv.data()[k]).isCloseTo((plus.data()[k] - minus.data()[k]) / (2 * h),
                    org.assertj.core.api.Assertions.within(1e-8));
        }
        // <u, J v> = <Jᵀ u, v> to rounding
        assertThat(Vectors.dot(m.vjp(theta, x, u), v)).isCloseTo(Vectors.dot(u.data(), jv.data()),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void checkRunsItAndItsRecordRoundTrips() throws Exception {
        Path json = dir.resolve("r.json");
        String[] r = run(0, "check", "--model", "residual-mlp", "--widths", "3,4,4,2", "--residual-scale", "0.5",
                "--seed", "3", "--json", json.toString());
        assertThat(r[0]).contains("residual-mlp 3-4-4-2 tanh s=0.5");
        JsonNode record = JSON.readTree(json.toFile());
        Architecture a = ModelFamilies.fromJson(record.at("/config/teacher"));
        assertThat(a).isEqualTo(new ResidualMlpFamily.Residual(new int[] {3, 4, 4, 2},
                dev.subliminal.simulation.mlp.Activation.TANH, 0.5));
        assertThat(record.get("commandLine").asText()).contains("--model residual-mlp").contains("--residual-scale 0.5");
        // the record's numbers are the library's, and the replay line gives them again
        CheckResult direct = new CheckCase(CheckConfig.defaults().withArchitectures(a, a), 3).run();
        assertThat(record.at("/results/dot").asDouble()).isEqualTo(direct.dot()).isPositive();
        String[] replay = record.get("commandLine").asText().replace("./subliminal ", "").split(" ");
        Path again = dir.resolve("again.json");
        String[] withJson = java.util.Arrays.copyOf(replay, replay.length + 2);
        withJson[replay.length] = "--json";
        withJson[replay.length + 1] = again.toString();
        run(0, withJson);
        assertThat(JSON.readTree(again.toFile()).get("results")).isEqualTo(record.get("results"));
        // its help lists the new setting; certificates refuse it by name
        assertThat(run(0, "check", "--help")[0]).contains("--residual-scale");
        assertThat(run(Main.BAD_INPUT, "certify", "--model", "residual-mlp", "--widths", "3,4,2")[1])
                .contains("interval certificates do not support residual-mlp");
    }

    @Test
    void aSweepGridVariesItsSetting() throws Exception {
        Path grid = dir.resolve("g.yaml");
        Files.writeString(grid, "seeds: 4\naxes:\n  model: residual-mlp\n  widths: '3,4,4,2'\n"
                + "  residualScale: [0.5, 1]\n  init: [same, independent]\n");
        SweepGrid g = SweepGrid.read(grid);
        assertThat(g.cells()).hasSize(4);
        assertThat(g.config(dev.subliminal.simulation.sweep.Shard.all()).at("/axes/residualScale").toString())
                .isEqualTo("[0.5,1.0]");
        Path out = dir.resolve("g.jsonl");
        run(0, "sweep", grid.toString(), "--out", out.toString(), "--threads", "2");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1 + 4 * 4);
        JsonNode first = JSON.readTree(lines.get(1));
        assertThat(first.at("/axes/model").asText()).isEqualTo("residual-mlp");
        assertThat(first.at("/axes/residualScale").asDouble()).isEqualTo(0.5);
        assertThat(first.at("/axes/studentResidualScale").asDouble()).isEqualTo(0.5);
        // same init: the first-order term is ε·Δ_Tᵀ G Δ_T ≥ 0, so Δ_S·Δ_T > 0 at this small ε
        for (String line : lines.subList(1, lines.size())) {
            JsonNode rec = JSON.readTree(line);
            if (rec.at("/axes/init").asText().equals("same")) {
                assertThat(rec.get("dot").asDouble()).isPositive();
            }
        }
    }

    @Test
    void thePropertyEngineGeneratesAndShrinksIt() {
        CheckSpace space = CheckSpace.everything().withFamilies(ResidualMlpFamily.NAME).withInits(StudentInit.SAME);
        Outcome<CheckCase> holds = PropertyCheck.forAll(space).withTries(60).withSeed(20261203L).check(c -> {
            assertThat(c.config().teacher().family().name()).isEqualTo(ResidualMlpFamily.NAME);
            assertThat(c.run().firstOrder()).isGreaterThanOrEqualTo(0.0);
        });
        assertThat(holds.passed()).as(holds.report("first order ≥ 0")).isTrue();
        // a false claim shrinks to the family's smallest failing case: one hidden block
        Outcome<CheckCase> fails = PropertyCheck.forAll(space).withTries(60).withSeed(20261203L).check(c ->
                assertThat(c.config().teacher().parameterCount()).isLessThan(8));
        assertThat(fails.falsified()).isPresent();
        Architecture shrunk = fails.counterexample().shrunk().config().teacher();
        assertThat(shrunk.family().name()).isEqualTo(ResidualMlpFamily.NAME);
        assertThat(shrunk.parameterCount()).isGreaterThanOrEqualTo(8)
                .isLessThanOrEqualTo(fails.counterexample().original().config().teacher().parameterCount());
    }
}
