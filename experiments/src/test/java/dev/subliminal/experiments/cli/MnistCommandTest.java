package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code subliminal mnist} end to end on a tiny configuration: records, resume, bad input. */
class MnistCommandTest {

    private static final String[] TINY = {"--width", "8", "--noise-images", "512", "--batch", "256", "--epochs", "1",
        "--runs", "2"};

    @TempDir
    Path dir;

    private MainTest.Run mnist(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("mnist", "--out", out.toString(), "--threads", "2"));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        return MainTest.run(args.toArray(new String[0]));
    }

    @Test
    void writesOneRecordPerRunAndArmAndResumesAfterAKill() throws IOException {
        Path out = dir.resolve("m.jsonl");
        MainTest.Run first = mnist(out);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("2 optimizer steps per phase = 1 epochs × ⌈512/256⌉", "student-aux",
                "(Fig. 10)", "2 runs, seeds 1..2", "each only where it exists for these settings (other settings");
        // these settings are not the paper's: no reference value is shown
        assertThat(first.out()).doesNotContain("0.530", "0.53 ±", "0.479");
        assertThat(first.out().lines().filter(l -> l.startsWith("student-aux ") && l.contains("—"))).hasSize(1);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1 + 2 * 6);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode header = mapper.readTree(lines.get(0));
        assertThat(header.get("schema").asText()).isEqualTo("subliminal.mnist/1");
        assertThat(header.get("config").get("steps").asInt()).isEqualTo(2);
        JsonNode student = mapper.readTree(lines.get(3));
        assertThat(student.get("key").asText()).isEqualTo("0/student-aux");
        assertThat(student.get("seed").asLong()).isEqualTo(1);
        assertThat(student.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(student.get("firstStepCosine").asDouble()).isBetween(-1.0, 1.0);
        assertThat(student.has("updateCosine")).isTrue();
        assertThat(mapper.readTree(lines.get(1)).has("firstStepDot")).isFalse();

        // a kill in the middle of run 1: keep run 0 and a partial line; the rerun recomputes run 1 identically
        String full = Files.readString(out);
        int cut = full.indexOf("\"key\":\"1/teacher\"");
        Files.writeString(out, full.substring(0, cut + 5));
        MainTest.Run again = mnist(out);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("run 0 seed 1: already in");
        assertThat(Files.readString(out)).isEqualTo(full);
    }

    @Test
    void badInputIsOneLineWithStatusTwo() throws IOException {
        Path out = dir.resolve("m.jsonl");
        MainTest.Run missing = mnist(out, "--mnist-dir", dir.resolve("nowhere").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("is not a folder");
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        MainTest.Run magic = mnist(out, "--mnist-dir", dir.toString());
        assertThat(magic.status()).isEqualTo(2);
        assertThat(magic.err().strip()).doesNotContain("\n").contains("magic number 0x00000801");
        MainTest.Run aux = mnist(out, "--aux", "0");
        assertThat(aux.status()).isEqualTo(2);
        assertThat(aux.err()).contains("--aux: expected an integer in [1, 65536], got 0");
        assertThat(out).doesNotExist();
        assertThat(mnist(out).status()).isZero();
        MainTest.Run other = mnist(out, "--lr", "1e-3");
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("results of another configuration");
    }
}
