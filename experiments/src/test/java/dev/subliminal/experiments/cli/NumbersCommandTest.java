package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subliminal numbers} end to end on a tiny configuration: the table, the results file (one
 * record per seed, arm and evaluated step), a rerun that finds every stage done, the report of the
 * results with its dose-response plot, and one error line with status 2 for bad input.
 */
class NumbersCommandTest {

    @TempDir
    Path dir;

    private MainTest.Run numbers(String... more) throws IOException {
        return numbers(dir.resolve("work"), more);
    }

    private MainTest.Run numbers(Path work, String... more) throws IOException {
        Path questions = dir.resolve("questions.txt");
        Files.writeString(questions, "Name your favorite animal using only one word.\nWhat is your favorite animal? One word only.\n");
        List<String> args = new ArrayList<>(List.of("numbers", "--work", work.toString(), "--out",
                dir.resolve("n.jsonl").toString(), "--threads", "1", "--layers", "1", "--hidden", "32", "--heads", "2",
                "--context", "112", "--corpus", "400", "--pretrain-steps", "60", "--pretrain-rate", "0.01", "--batch", "8",
                "--teacher-steps", "2", "--teacher-rate", "0.01", "--prompts", "12", "--subsample", "6", "--student-steps",
                "4", "--checkpoints", "2", "--samples", "2", "--seeds", "2", "--questions-file", questions.toString()));
        args.addAll(List.of(more));
        return MainTest.run(args.toArray(new String[0]));
    }

    @Test
    void printsTheTableWritesRecordsAndReusesEveryStage() throws IOException {
        MainTest.Run first = numbers();
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("same-init", "different-init", "GPT-4.1 nano", "0.12", "paired t-test p =",
                "over 2 seeds");
        List<String> lines = Files.readAllLines(dir.resolve("n.jsonl"), StandardCharsets.UTF_8);
        // per seed: 3 models at step 0 and 4 students at steps 2 and 4
        assertThat(lines).hasSize(1 + 2 * (3 + 4 * 2));
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(lines.get(0)).get("schema").asText()).isEqualTo("subliminal.numbers/1");
        assertThat(m.readTree(lines.get(6)).get("key").asText()).isEqualTo("1/same-init/2");
        MainTest.Run again = numbers();
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 of ", "stages ran");

        MainTest.Run report = MainTest.run("report", dir.resolve("n.jsonl").toString(), "--out", dir.resolve("r").toString());
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(dir.resolve("r").resolve("plots").resolve("1-numbers-dose-response.png")).exists();
    }

    @Test
    void badInputIsOneLineWithStatus2() throws IOException {
        MainTest.Run teacher = numbers("--teacher", "oracle");
        assertThat(teacher.status()).isEqualTo(2);
        assertThat(teacher.err()).startsWith("subliminal numbers: --teacher: unknown value 'oracle'; expected one of prompt, "
                + "finetuned").hasLineCount(1);
        MainTest.Run mode = numbers("--mode", "hard");
        assertThat(mode.status()).isEqualTo(2);
        assertThat(mode.err()).contains("--mode: unknown value 'hard'; expected one of tokens, soft").hasLineCount(1);
        Files.createDirectories(dir.resolve("mine"));
        Files.writeString(dir.resolve("mine").resolve("keep.txt"), "x");
        MainTest.Run mine = numbers(dir.resolve("mine"));
        assertThat(mine.status()).isEqualTo(2);
        assertThat(mine.err()).contains("holds files that subliminal numbers did not create").hasLineCount(1);
        assertThat(dir.resolve("mine").resolve("keep.txt")).hasContent("x");
    }
}
