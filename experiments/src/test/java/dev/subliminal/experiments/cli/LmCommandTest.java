package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsWriter;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Sampling;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subliminal lm logprobs} and {@code lm generate} on checkpoint folders written by the
 * checkpoint writer (with a byte-level tokenizer.json), against the model computed directly: the
 * log-probabilities from the float64 logits by a log-softmax written here, greedy generation against
 * generation without the cache; and every malformed folder (header, offsets, overlapping tensors, a
 * missing or misshapen tensor, an unknown model_type) as one error line naming the file and tensor,
 * exit status 2.
 */
class LmCommandTest {

    /** GPT-2 layout over 258 ids: the 256 byte tokens, the merge "ab" and a special token. */
    static final TransformerConfig TINY = new TransformerConfig(Layout.GPT2, 258, 48, 8, 2, 2, 2, 4, 32, 1e-5, 0, true,
            true);

    @TempDir
    Path dir;

    /** Writes a checkpoint folder of TINY with random θ and (optionally) a tokenizer; returns θ. */
    static double[] writeTiny(Path folder, boolean tokenizer) throws IOException {
        Transformer model = new Transformer(TINY, 16);
        double[] theta = model.initialize(7, 0.3);
        double[] f32 = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            f32[i] = (float) theta[i];
        }
        Checkpoint.write(folder, TINY, model.layout(), f32, DType.F32);
        if (tokenizer) {
            Files.writeString(folder.resolve("tokenizer.json"), byteLevelTokenizer());
        }
        return f32;
    }

    /** GPT-2's byte-to-character map (printable bytes stand for themselves, the others for 256 + n). */
    static char byteChar(int b) {
        if (b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF) {
            return (char) b;
        }
        int n = 0;
        for (int c = 0; c < b; c++) {
            if (!(c >= '!' && c <= '~' || c >= 0xA1 && c <= 0xAC || c >= 0xAE && c <= 0xFF)) {
                n++;
            }
        }
        return (char) (256 + n);
    }

    static String byteLevelTokenizer() {
        StringBuilder vocab = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(byteChar(b));
            vocab.append('"').append(c.equals("\"") ? "\\\"" : c.equals("\\") ? "\\\\" : c).append("\":").append(b)
                    .append(',');
        }
        vocab.append("\"ab\":256");
        return "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":257,\"content\":\"<|eot|>\",\"special\":true}],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false},"
                + "\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab
                + "},\"merges\":[\"a b\"]}}";
    }

    /** log σ(z_{i−1})_{t_i} for i ≥ from, from the float64 model's logits. */
    static double[] expectedLogprobs(double[] theta, int[] ids, int from) {
        Transformer model = new Transformer(TINY, ids.length);
        double[] row = Arrays.stream(ids).asDoubleStream().toArray();
        double[] z = model.forward(theta, new Batch(1, ids.length, row)).data();
        int v = TINY.vocabSize();
        double[] out = new double[ids.length - from];
        for (int i = from; i < ids.length; i++) {
            int o = (i - 1) * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                sum += Math.exp(z[o + j] - max);
            }
            out[i - from] = z[o + ids[i]] - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void logprobsAreTheModelsLogSoftmax() throws IOException {
        Path cp = dir.resolve("tiny");
        double[] theta = writeTiny(cp, true);
        MainTest.Run r = MainTest.run("lm", "logprobs", cp.toString(), "--tokens", "5, 17,3,200,256");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("schema").asText()).isEqualTo("subliminal.lm-logprobs/1");
        assertThat(j.get("tokens").toString()).isEqualTo("[5,17,3,200,256]");
        assertThat(j.get("pieces").get(4).asText()).isEqualTo("ab");
        assertThat(j.get("logprobs").get(0).isNull()).isTrue();
        double[] want = expectedLogprobs(theta, new int[] {5, 17, 3, 200, 256}, 1);
        double total = 0;
        for (int i = 0; i < want.length; i++) {
            assertThat(j.get("logprobs").get(i + 1).asDouble()).isCloseTo(want[i], org.assertj.core.api.Assertions.within(
                    1e-12 * Math.abs(want[i])));
            total += want[i];
        }
        assertThat(j.get("total").asDouble()).isCloseTo(total, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(j.get("checkpoint").get("modelType").asText()).isEqualTo("gpt2");
        assertThat(j.get("provenance").get("arguments").get(0).asText()).isEqualTo("lm");

        // Text through the tokenizer, after a prompt that is context only; float32 within its rounding.
        MainTest.Run t = MainTest.run("lm", "logprobs", cp.toString(), "--prompt", "Hi", "--text", "ab c",
                "--precision", "float32", "--json", dir.resolve("lp.json").toString());
        assertThat(t.status()).as(t.err()).isZero();
        assertThat(t.out()).contains("3 tokens scored").contains("lp.json");
        JsonNode f = new ObjectMapper().readTree(dir.resolve("lp.json").toFile());
        assertThat(f.get("tokens").toString()).isEqualTo("[72,105,256,32,99]");
        assertThat(f.get("scoredFrom").asInt()).isEqualTo(2);
        assertThat(f.get("precision").asText()).isEqualTo("float32");
        double[] w = expectedLogprobs(theta, new int[] {72, 105, 256, 32, 99}, 2);
        for (int i = 0; i < w.length; i++) {
            assertThat(f.get("logprobs").get(i + 2).asDouble()).isCloseTo(w[i], org.assertj.core.api.Assertions.within(
                    1e-5 * Math.max(1, Math.abs(w[i]))));
        }
    }

    @Test
    void generateIsGreedyOrSeeded() throws IOException {
        Path cp = dir.resolve("tiny");
        double[] theta = writeTiny(cp, true);
        MainTest.Run g = MainTest.run("lm", "generate", cp.toString(), "--prompt-tokens", "97,98", "--temperature", "0",
                "--max-new-tokens", "6", "--json", dir.resolve("g.json").toString());
        assertThat(g.status()).as(g.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(dir.resolve("g.json").toFile());
        int[] want = new LanguageModel(TINY).generateWithoutCache(theta, new int[] {97, 98}, Sampling.greedy(6));
        assertThat(j.get("tokens").toString()).isEqualTo(Arrays.toString(want).replace(" ", ""));
        MainTest.Run a = MainTest.run("lm", "generate", cp.toString(), "--prompt", "ab", "--seed", "3", "--top-p", "0.9");
        MainTest.Run b = MainTest.run("lm", "generate", cp.toString(), "--prompt", "ab", "--seed", "3", "--top-p", "0.9");
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        int[] sampled = new LanguageModel(TINY).generate(theta, new int[] {256}, new Sampling(32, 1, 0.9, 3, null));
        String text = dev.subliminal.lm.tokenizer.Tokenizer.fromTokenizerJson(cp.resolve("tokenizer.json")).decode(sampled);
        assertThat(a.out()).isEqualTo(text + System.lineSeparator());
    }

    /** One line on standard error, exit status 2, naming what is given. */
    static void assertOneLine(MainTest.Run r, String... parts) {
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String p : parts) {
            assertThat(r.err()).contains(p);
        }
    }

    /** A safetensors file from a header (JSON text) and data bytes. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void malformedCheckpointsAreOneLineAndStatusTwo() throws IOException {
        Path good = dir.resolve("good");
        writeTiny(good, false);
        byte[] file = Files.readAllBytes(good.resolve("model.safetensors"));

        // A malformed header: its JSON cut short.
        Path header = copy(good, "header");
        byte[] bad = file.clone();
        bad[8] = '[';
        Files.write(header.resolve("model.safetensors"), bad);
        assertOneLine(MainTest.run("lm", "logprobs", header.toString(), "--tokens", "1,2"), "subliminal lm logprobs:",
                "model.safetensors", "header does not start with '{'");

        // An offset outside the file: the data cut short.
        Path cut = copy(good, "cut");
        Files.write(cut.resolve("model.safetensors"), Arrays.copyOf(file, file.length - 12));
        assertOneLine(MainTest.run("lm", "logprobs", cut.toString(), "--tokens", "1,2"), "model.safetensors",
                "outside the file");

        // Overlapping tensors.
        Path overlap = copy(good, "overlap");
        Files.write(overlap.resolve("model.safetensors"), safetensors(
                "{\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"wpe.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]));
        assertOneLine(MainTest.run("lm", "logprobs", overlap.toString(), "--tokens", "1,2"), "model.safetensors",
                "'wpe.weight'", "overlap");

        // A missing tensor and a misshapen one.
        List<TensorSpec> specs = TINY.parameterLayout().tensors();
        for (String kind : new String[] {"missing", "misshapen"}) {
            Path p = copy(good, kind);
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (TensorSpec t : specs) {
                double[] values = new double[t.size()];
                if (t.name().equals("ln_f.bias") && kind.equals("missing")) {
                    continue;
                }
                int[] shape = t.name().equals("wpe.weight") && kind.equals("misshapen")
                        ? new int[] {t.shape()[1], t.shape()[0]} : t.shape();
                entries.add(new SafetensorsWriter.Entry(t.name(), DType.F32, shape, values, 0));
            }
            SafetensorsWriter.write(p.resolve("model.safetensors"), entries, Map.of("format", "pt"), true);
        }
        assertOneLine(MainTest.run("lm", "logprobs", dir.resolve("missing").toString(), "--tokens", "1,2"),
                "model.safetensors", "'ln_f.bias'", "missing");
        assertOneLine(MainTest.run("lm", "generate", dir.resolve("misshapen").toString(), "--prompt-tokens", "1"),
                "model.safetensors", "'wpe.weight'", "has shape [8, 48], expected [48, 8]");

        // An unknown model_type.
        Path bert = copy(good, "bert");
        Files.writeString(bert.resolve("config.json"), Files.readString(good.resolve("config.json"))
                .replace("\"gpt2\"", "\"bert\""));
        assertOneLine(MainTest.run("lm", "logprobs", bert.toString(), "--tokens", "1,2"), "config.json",
                "'model_type'", "unknown model_type 'bert'");

        // Bad arguments name the option.
        assertOneLine(MainTest.run("lm", "logprobs", good.toString(), "--text", "hi"), "has no tokenizer.json");
        assertOneLine(MainTest.run("lm", "logprobs", good.toString(), "--tokens", "1,x"), "--tokens: 'x' (entry 2)");
        assertOneLine(MainTest.run("lm", "logprobs", good.toString(), "--tokens", "1,300"), "token 300 (entry 2)");
        assertOneLine(MainTest.run("lm", "logprobs", good.toString(), "--tokens", "1,2", "--precision", "half"),
                "--precision: unknown value 'half'");
        assertOneLine(MainTest.run("lm", "logprobs", dir.resolve("nothing").toString(), "--tokens", "1,2"),
                "nothing", "is not a folder");
        assertThat(dir.resolve("lp.json")).doesNotExist();
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
