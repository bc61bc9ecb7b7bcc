package dev.subliminal.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.cli.Main;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.theory.check.CheckResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example: the check from code, in a few lines, gives the command line's numbers
 * bit for bit. {@link ReadmeExamplesTest} checks that the README shows exactly these lines.
 */
class ApiExampleTest {

    @TempDir
    Path dir;

    @Test
    void theCheckFromCodeGivesTheCommandLinesNumbers() throws IOException {
        // README example: begin
        CheckConfig config = CheckConfig.defaults()
                .with(CheckConfig.INIT, StudentInit.INDEPENDENT)
                .with(CheckConfig.EPSILON, 1e-3);
        CheckResult r = new CheckCase(config, 7).run();   // ./subliminal check --init independent --epsilon 1e-3 --seed 7
        System.out.printf("Δ_S·Δ_T = %.6g, trait part = %.6g, first order = %.6g%n", r.dot(), r.traitPart(), r.firstOrder());
        // README example: end

        Path record = dir.resolve("record.json");
        int status = Main.run(new String[] {"check", "--init", "independent", "--epsilon", "1e-3", "--seed", "7",
            "--json", record.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(status).isZero();
        JsonNode results = new ObjectMapper().readTree(record.toFile()).get("results");
        assertThat(r.dot()).isEqualTo(results.get("dot").doubleValue());
        assertThat(r.traitPart()).isEqualTo(results.get("traitPart").doubleValue());
        assertThat(r.firstOrder()).isEqualTo(results.get("firstOrder").doubleValue());
        assertThat(r.traitDropsBelowControl()).isEqualTo(results.get("traitDropsBelowControl").booleanValue());
    }
}
