package dev.subliminal.experiments.cli;

import static dev.subliminal.experiments.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.format.CertificateWriter;
import dev.subliminal.experiments.cli.MainTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code certify} and {@code falsify} end to end: every certificate the tool writes re-checks; an
 * edited one is refused (exit 2, digest) and a forged one (edited, digest recomputed) whose claim no
 * longer holds is not verified (exit 1).
 */
class CertifyCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** Configurations covering tanh and ReLU, mse and ce (distilled, T ≠ 1), same and independent init, linear. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "--widths 3,5,2 --activation tanh --loss mse --samples 16 --seed 3",
        "--widths 4,6,5,3 --activation relu --loss ce --distill 2 --temperature 2 --samples 16 --seed 4",
        "--widths 2,4,3 --activation tanh --init independent --samples 16 --seed 6",
        "--model linear --widths 3,2 --loss ce --samples 8 --seed 6",
        "--model linear --widths 3,2 --loss mse --exact --samples 8 --seed 7",
        "--model linear --widths 4,3 --loss mse --exact --init independent --samples 8 --seed 8",
    })
    void everyWrittenCertificateVerifies(String options) throws Exception {
        Path file = dir.resolve("c.json");
        Run r = certify(options, file);
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Run v = run("certify", "--verify", file.toString());
        assertThat(v.status()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).contains("verified: ").doesNotContain("NOT verified");
        if (!options.contains("independent") && !options.contains("--exact")) {
            assertThat(v.out()).contains("verified: trait-loss-decreases");
        }
        JsonNode root = MAPPER.readTree(file.toFile());
        assertThat(root.get("schema").asText()).isEqualTo(CertificateWriter.SCHEMA);
        assertThat(root.at("/claims/0/certified").asBoolean()).isTrue();
    }

    @Test
    void editedCertificatesAreRefusedAndForgedOnesAreNotVerified() throws Exception {
        Path file = dir.resolve("c.json");
        assertThat(certify("--widths 3,4,2 --activation tanh --samples 16 --seed 11", file).status()).isZero();
        JsonNode original = MAPPER.readTree(file.toFile());
        List<Consumer<ObjectNode>> edits = List.of(
                c -> claim(c).put("epsilonStar", claim(c).get("epsilonStar").asDouble() * 1e4),
                c -> ((ArrayNode) c.at("/parameters/theta0/0.weight/data")).set(0, 0.5 + c.at("/parameters/theta0/0.weight/data/0").asDouble()),
                c -> ((ArrayNode) claim(c).get("enclosure")).set(0, 1e6).set(1, 2e6),
                c -> ((ObjectNode) c.get("claims").get(1)).put("epsilonStar",
                        c.get("claims").get(1).get("epsilonStar").asDouble() * 1e4),
                c -> zero((ArrayNode) c.at("/parameters/deltaT/2.bias/data"), (ArrayNode) c.at("/parameters/deltaT/2.weight/data"),
                        (ArrayNode) c.at("/parameters/deltaT/0.bias/data"), (ArrayNode) c.at("/parameters/deltaT/0.weight/data")));
        for (int i = 0; i < edits.size(); i++) {
            ObjectNode edited = original.deepCopy();
            edits.get(i).accept(edited);
            Files.writeString(file, MAPPER.writeValueAsString(edited));
            Run r = run("certify", "--verify", file.toString());
            assertThat(r.status()).as("edit %d without a new digest: %s", i, r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).contains("edited");
            if (i == 1) {
                continue; // moving θ0 may leave a true claim: a forger's new digest then makes a valid certificate
            }
            Files.writeString(file, CertificateWriter.toJson(edited));
            Run forged = run("certify", "--verify", file.toString());
            assertThat(forged.status()).as("forged edit %d: %s", i, forged.out() + forged.err()).isEqualTo(1);
            assertThat(forged.out()).contains("NOT verified");
        }
    }

    /** What certify writes, report reads: the certified ε* of each claim, and the exact claim's rate. */
    @Test
    void reportReadsTheCertificatesCertifyWrites() throws Exception {
        Path interval = dir.resolve("interval.json");
        Path exact = dir.resolve("exact.json");
        Path batch = dir.resolve("batch.jsonl");
        assertThat(certify("--widths 3,4,2 --samples 6 --trait-samples 4 --seed 5", interval).status()).isZero();
        assertThat(certify("--model linear --widths 3,2 --loss mse --exact --samples 5 --seed 5", exact).status()).isZero();
        assertThat(run("certify", "--cases", "3", "--seed", "2", "--out", batch.toString()).status()).isZero();
        Path out = dir.resolve("report");
        Run r = run("report", interval.toString(), exact.toString(), batch.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("report of 3 inputs (5 records, 1 plot)");
        String html = Files.readString(out.resolve("index.html"));
        JsonNode claims = MAPPER.readTree(interval.toFile()).get("claims");
        assertThat(html).contains("interval.json", "exact.json", "Certified step sizes ε*",
                "1 exact claims, certified for every ε");
        double e0 = claims.get(0).get("epsilonStar").asDouble();
        double e1 = claims.get(1).get("epsilonStar").asDouble();
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4g", Math.min(e0, e1)),
                String.format(java.util.Locale.ROOT, "%.4g", Math.max(e0, e1)));
    }

    @Test
    void editedExactCertificateIsNotVerified() throws Exception {
        Path file = dir.resolve("exact.json");
        Run r = certify("--model linear --widths 2,2 --loss mse --exact --samples 4 --seed 2", file);
        assertThat(r.out()).contains("Q ≈ ").contains("≤ stated bound").contains(": yes");
        ObjectNode c = (ObjectNode) MAPPER.readTree(file.toFile());
        ObjectNode q = (ObjectNode) claim(c).get("quadraticForm");
        q.put("numerator", new java.math.BigInteger(q.get("numerator").asText()).add(java.math.BigInteger.ONE).toString());
        Files.writeString(file, CertificateWriter.toJson(c));
        Run v = run("certify", "--verify", file.toString());
        assertThat(v.status()).isEqualTo(1);
        assertThat(v.out()).contains("differs from the stored fraction");
    }

    @Test
    void malformedFilesGiveOneLineAndStatusTwo() throws Exception {
        Path file = dir.resolve("c.json");
        assertThat(certify("--widths 2,3,2 --samples 4 --seed 1", file).status()).isZero();
        ObjectNode c = (ObjectNode) MAPPER.readTree(file.toFile());
        c.remove("parameters");
        Files.writeString(file, CertificateWriter.toJson(c));
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{ not json");
        for (String f : new String[] {file.toString(), notJson.toString(), dir.resolve("missing.json").toString()}) {
            Run r = run("certify", "--verify", f);
            assertThat(r.status()).as(r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err()).doesNotContain("Exception");
        }
        assertThat(run("certify", "--verify", file.toString()).err()).contains("malformed certificate: parameters is missing");
    }

    @Test
    void noCertificateWhereTheTraitPartIsNegative() throws Exception {
        // the shrunk counterexample falsify finds for independent-init-trait-part: trait part < 0
        String c = "--widths 1,1,3 --activation tanh --init independent --loss ce --trait mse --trait-samples 2 "
                + "--samples 2 --epsilon 0.001 --alpha 0.01 --seed 521366456455967703";
        assertThat(traitPartLine(run(("check " + c).split(" ")))).contains(" -0.");
        Run r = certify(c, dir.resolve("none.json"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains(" none ");
        JsonNode root = MAPPER.readTree(dir.resolve("none.json").toFile());
        assertThat(claim((ObjectNode) root).get("certified").asBoolean()).isFalse();
        assertThat(claim((ObjectNode) root).get("epsilonStar").isNull()).isTrue();
    }

    @Test
    void batchWritesAResumableResultsFile() throws Exception {
        Path out = dir.resolve("batch.jsonl");
        Run r = run("certify", "--cases", "6", "--seed", "3", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ε* > 0 [95% CI]").contains("of which certified: 0");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(7);
        assertThat(MAPPER.readTree(lines.get(0)).get("schema").asText()).isEqualTo("subliminal.certify/1");
        JsonNode rec = MAPPER.readTree(lines.get(1));
        assertThat(rec.get("key").asText()).isEqualTo("0");
        assertThat(rec.get("commandLine").asText()).startsWith("./subliminal check");
        // a run killed mid-line resumes: the partial line is dropped and the missing cases are appended
        String cut = String.join("\n", lines.subList(0, 4)) + "\n" + lines.get(4).substring(0, 10);
        Files.writeString(out, cut);
        Run again = run("certify", "--cases", "6", "--seed", "3", "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(Files.readAllLines(out).subList(1, 7)).isEqualTo(lines.subList(1, 7));
        Run other = run("certify", "--cases", "7", "--seed", "3", "--out", out.toString());
        assertThat(other.status()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void falsifyFindsTheIndependentInitCounterexampleAndNoneForTheLemma() {
        Run list = run("falsify", "--list");
        assertThat(list.out()).contains("independent-init-trait-part", "same-init-first-order", "cross-architecture");
        Run found = run("falsify", "independent-init-trait-part", "--tries", "1000", "--seed", "1");
        assertThat(found.status()).isEqualTo(1);
        String replay = found.out().lines().filter(l -> l.startsWith("  ./subliminal check")).findFirst().orElseThrow();
        Run check = run(replay.strip().substring("./subliminal ".length()).split(" "));
        assertThat(traitPartLine(check)).contains(" -");
        Run none = run("falsify", "same-init-first-order", "--tries", "1000", "--seed", "1");
        assertThat(none.status()).isZero();
        assertThat(none.out()).contains("no counterexample in 1000 tries");
    }

    @Test
    void falsifyReplaysAnAdamCounterexampleAsAOneCellSweep() throws Exception {
        Run found = run("falsify", "same-init-adam", "--tries", "1000", "--seed", "1");
        assertThat(found.status()).as(found.out() + found.err()).isEqualTo(1);
        String replay = found.out().lines().filter(l -> l.startsWith("  echo '")).findFirst().orElseThrow();
        String grid = replay.substring(replay.indexOf('\'') + 1, replay.lastIndexOf('\''));
        Path file = dir.resolve("case.json");
        Files.writeString(file, grid);
        Path out = dir.resolve("case.jsonl");
        Run sweep = run("sweep", file.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(sweep.status()).as(sweep.err()).isZero();
        JsonNode record = MAPPER.readTree(Files.readAllLines(out).get(1));
        assertThat(record.at("/axes/optimizer").asText()).isEqualTo("adam");
        assertThat(record.at("/end/dot").asDouble()).isNegative();
        assertThat(found.out()).contains("summed Adam update · Δ_T = " + record.at("/end/dot").asDouble() + " < 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"certify --cases 5|--cases needs --out", "certify --widths 3,4,2 --exact|--exact needs --model linear",
        "certify --model linear --widths 3,2 --exact|--exact needs --loss mse", "certify --activation gelu|gelu has none (certifiable: tanh, relu)",
        "certify --init independent --student-widths 4,9,3|Unknown options: '--student-widths'",
        "certify --json x.json|Unknown options: '--json'", "falsify|name a claim", "falsify no-such-claim|unknown value 'no-such-claim'; expected one of same-init-first-order", "falsify same-init-dot --tries 0|--tries 0"})
    void badInputGivesOneLineAndStatusTwo(String line) {
        String[] parts = line.split("\\|");
        Run r = run(parts[0].split(" "));
        assertThat(r.status()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains(parts[1]);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    private Run certify(String options, Path file) {
        String[] opts = options.split(" ");
        String[] args = new String[opts.length + 3];
        args[0] = "certify";
        System.arraycopy(opts, 0, args, 1, opts.length);
        args[opts.length + 1] = "--out";
        args[opts.length + 2] = file.toString();
        return run(args);
    }

    private static String traitPartLine(Run check) {
        return check.out().lines().filter(l -> l.startsWith("trait part")).findFirst().orElseThrow();
    }

    private static ObjectNode claim(ObjectNode certificate) {
        return (ObjectNode) certificate.get("claims").get(0);
    }

    private static void zero(ArrayNode... arrays) {
        for (ArrayNode a : arrays) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, 0.0);
            }
        }
    }
}
