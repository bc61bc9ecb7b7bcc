package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsFile;
import dev.subliminal.lm.tokenizer.Tokenizer;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --checkpoint}: θ0 from the folder, trait pairs and sequences from text files through its
 * tokenizer, the same numbers as the check assembled by hand from the same ids; float32 with its rounding
 * bound; the tensors of a large model in a safetensors file beside the record; errors on one line.
 */
class CheckpointCheckTest {

    @TempDir
    Path dir;

    private static final String[][] PAIRS = {{"Name your favorite animal:", " owl"}, {"Favorite animal?\\n", " owl!"},
        {"b", "ab"}};
    private static final String[] SEQUENCES = {"123, 456, 789", "12 34", "7\\t8 ab 9"};

    private Path files() throws IOException {
        StringBuilder p = new StringBuilder();
        for (String[] pair : PAIRS) {
            p.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        Files.writeString(dir.resolve("pairs.tsv"), p + "\n");
        Files.writeString(dir.resolve("seqs.txt"), String.join("\n", SEQUENCES) + "\n");
        return dir;
    }

    /** The check assembled directly from the ids the tokenizer gives. */
    private static CheckResult direct(Path cp, double[] theta, TransformerConfig config, Precision precision,
            double epsilon) {
        return direct(cp, theta, config, precision, epsilon, SoftCrossEntropy.all(1));
    }

    private static CheckResult direct(Path cp, double[] theta, TransformerConfig config, Precision precision,
            double epsilon, SoftCrossEntropy perPosition) {
        Tokenizer tok = Tokenizer.fromTokenizerJson(cp.resolve("tokenizer.json"));
        List<PromptAnswer> pairs = new ArrayList<>();
        int t = 0;
        for (String[] pair : PAIRS) {
            int[] pr = tok.encode(pair[0].replace("\\n", "\n"));
            int[] an = tok.encode(pair[1]);
            pairs.add(new PromptAnswer(pr, an));
            t = Math.max(t, pr.length + an.length - 1);
        }
        List<int[]> seqs = new ArrayList<>();
        for (String s : SEQUENCES) {
            int[] ids = tok.encode(s.replace("\\t", "\t"));
            seqs.add(ids);
            t = Math.max(t, ids.length);
        }
        double[][] rows = new double[seqs.size()][t];
        for (int r = 0; r < rows.length; r++) {
            Arrays.fill(rows[r], -1);
            for (int i = 0; i < seqs.get(r).length; i++) {
                rows[r][i] = seqs.get(r)[i];
            }
        }
        Batch x = Batch.of(rows);
        Transformer model = new Transformer(config, t, precision, Gemm.defaults());
        SequenceImitation loss = SequenceImitation.of(x, config.vocabSize(), perPosition);
        return TransmissionCheck.run(new CheckSetup(model, theta, new AnswerLikelihoodTrait(pairs), epsilon, model,
                theta, 0.1, loss, x));
    }

    @Test
    void aCheckpointWithTextFilesIsTheCheckOnTheirTokens() throws IOException {
        Path cp = dir.resolve("tiny");
        double[] theta = LmCommandTest.writeTiny(cp, true);
        files();
        MainTest.Run r = MainTest.run("check", "--checkpoint", cp.toString(), "--trait-pairs",
                dir.resolve("pairs.tsv").toString(), "--sequences", dir.resolve("seqs.txt").toString(), "--epsilon",
                "1e-3", "--json", dir.resolve("rec.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode rec = new ObjectMapper().readTree(dir.resolve("rec.json").toFile());
        CheckResult want = direct(cp, theta, LmCommandTest.TINY, Precision.FLOAT64, 1e-3);
        assertThat(rec.get("results").get("dot").asDouble()).isEqualTo(want.dot());
        assertThat(rec.get("results").get("traitLossStudent").asDouble()).isEqualTo(want.traitLossStudent());
        assertThat(want.dot()).isPositive();
        JsonNode teacher = rec.get("config").get("teacher");
        assertThat(teacher.get("checkpoint").get("folder").asText()).isEqualTo(cp.toString());
        assertThat(teacher.get("checkpoint").get("contextLength").asInt()).isEqualTo(48);
        assertThat(teacher.get("traitTexts").get(1).get("prompt").asText()).isEqualTo("Favorite animal?\n");
        assertThat(teacher.get("sequenceTexts").get(2).asText()).isEqualTo("7\t8 ab 9");
        assertThat(rec.get("config").get("traitSamples").asInt()).isEqualTo(3);
        assertThat(rec.get("config").get("samples").asInt()).isEqualTo(3);
        assertThat(rec.get("traitLoss").get("pairs").size()).isEqualTo(3);
        assertThat(rec.get("parameters").has("theta0")).isTrue();
        assertThat(rec.get("results").has("roundingBound")).isFalse();
        assertThat(rec.get("commandLine").asText()).startsWith("./subliminal check --checkpoint ");

        // float32: the bound holds against the float64 check.
        MainTest.Run f = MainTest.run("check", "--checkpoint", cp.toString(), "--trait-pairs",
                dir.resolve("pairs.tsv").toString(), "--sequences", dir.resolve("seqs.txt").toString(), "--epsilon",
                "1e-3", "--precision", "float32", "--json", dir.resolve("rec32.json").toString());
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("float32 rounding bound");
        JsonNode r32 = new ObjectMapper().readTree(dir.resolve("rec32.json").toFile());
        double bound = r32.get("results").get("roundingBound").get("value").asDouble();
        double dot32 = r32.get("results").get("dot").asDouble();
        assertThat(Math.abs(dot32 - want.dot())).isLessThanOrEqualTo(bound);
        assertThat(bound).isLessThan(0.1 * want.dot());
    }

    /** --vocabulary: the soft cross-entropy over the listed tokens only (ids sorted, as SoftCrossEntropy takes them). */
    @Test
    void aVocabularySubsetRestrictsTheImitationLoss() throws IOException {
        Path cp = dir.resolve("tiny");
        double[] theta = LmCommandTest.writeTiny(cp, true);
        files();
        Files.writeString(dir.resolve("digits.txt"), "9\n1\n2\n3\nab\n,\n");
        MainTest.Run r = MainTest.run("check", "--checkpoint", cp.toString(), "--trait-pairs",
                dir.resolve("pairs.tsv").toString(), "--sequences", dir.resolve("seqs.txt").toString(), "--vocabulary",
                dir.resolve("digits.txt").toString(), "--epsilon", "1e-3", "--json", dir.resolve("sub.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        Tokenizer tok = Tokenizer.fromTokenizerJson(cp.resolve("tokenizer.json"));
        int[] ids = java.util.stream.IntStream.of(tok.encode("9")[0], tok.encode("1")[0], tok.encode("2")[0],
                tok.encode("3")[0], tok.encode("ab")[0], tok.encode(",")[0]).sorted().toArray();
        assertThat(tok.encode("ab")).hasSize(1);
        CheckResult want = direct(cp, theta, LmCommandTest.TINY, Precision.FLOAT64, 1e-3, new SoftCrossEntropy(1, ids));
        CheckResult all = direct(cp, theta, LmCommandTest.TINY, Precision.FLOAT64, 1e-3);
        JsonNode rec = new ObjectMapper().readTree(dir.resolve("sub.json").toFile());
        assertThat(rec.get("results").get("dot").asDouble()).isEqualTo(want.dot()).isNotEqualTo(all.dot());
        assertThat(rec.get("config").get("teacher").get("vocabularyTexts").get(4).asText()).isEqualTo("ab");
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString(), "--vocabulary",
                dir.resolve("digits.txt").toString(), "--loss", "mse"), "a vocabulary subset restricts the soft "
                + "cross-entropy");
        Files.writeString(dir.resolve("words.txt"), "1\nab c\n");
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString(), "--vocabulary",
                dir.resolve("words.txt").toString()), "words.txt line 2: 'ab c' is 3 tokens");
    }

    @Test
    void aLargeModelsTensorsGoBesideTheRecord() throws IOException {
        TransformerConfig big = new TransformerConfig(Layout.LLAMA, 258, 8, 256, 3, 4, 2, 64, 320, 1e-6, 10_000, true,
                false);
        Transformer model = new Transformer(big, 4);
        assertThat(model.parameterCount()).isGreaterThan(1 << 20);
        double[] theta = model.initialize(3);
        Path cp = dir.resolve("big");
        Checkpoint.write(cp, big, model.layout(), theta, DType.F64);
        MainTest.Run r = MainTest.run("check", "--checkpoint", cp.toString(), "--sequence-length", "4", "--samples", "2",
                "--trait-samples", "2", "--init", "perturbed", "--json", dir.resolve("big.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode rec = new ObjectMapper().readTree(dir.resolve("big.json").toFile());
        JsonNode p = rec.get("parameters");
        assertThat(p.get("file").asText()).isEqualTo("big.safetensors");
        assertThat(p.get("dtype").asText()).isEqualTo("F64");
        assertThat(p.get("vectors").toString()).isEqualTo("[\"deltaT\",\"studentInit\",\"deltaS\",\"deltaSControl\"]");
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("big.safetensors"))) {
            assertThat(f.tensors()).hasSize(4 * model.layout().tensors().size());
            double[] d = new double[256 * 258];
            f.read("deltaT.model.embed_tokens.weight", d, 0);
            assertThat(Arrays.stream(d).anyMatch(v -> v != 0)).isTrue();
        }
    }

    @Test
    void errorsAreOneLine() throws IOException {
        Path cp = dir.resolve("tiny");
        LmCommandTest.writeTiny(cp, false);
        files();
        LmCommandTest.assertOneLine(MainTest.run("check", "--trait-pairs", dir.resolve("pairs.tsv").toString()),
                "subliminal check:", "--trait-pairs reads texts with a checkpoint's tokenizer: give --checkpoint");
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString(), "--sequences",
                dir.resolve("seqs.txt").toString()), "has no tokenizer.json");
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString(), "--layers", "3"),
                "--layers: the checkpoint's config.json gives the architecture");
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString(), "--init", "independent"),
                "a checkpoint gives θ0");
        Files.writeString(dir.resolve("bad.tsv"), "prompt without answer\n");
        Path withTok = dir.resolve("tok");
        LmCommandTest.writeTiny(withTok, true);
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", withTok.toString(), "--trait-pairs",
                dir.resolve("bad.tsv").toString()), "bad.tsv line 1: expected 'prompt<TAB>answer'");
        Files.write(cp.resolve("model.safetensors"), new byte[] {1, 2, 3});
        LmCommandTest.assertOneLine(MainTest.run("check", "--checkpoint", cp.toString()), "model.safetensors",
                "is 3 bytes, too short for the 8-byte header length");
        assertThat(dir.resolve("rec.json")).doesNotExist();
    }
}
