package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole model against an independent implementation in plain PyTorch
 * ({@code src/test/python/transformer_reference.py}, float64, one unpadded sequence at a time, autograd
 * for gradients and JVPs): tensor names, shapes and order, logits, the sequence imitation loss and its
 * gradient, the answer-likelihood trait and its gradient, and a JVP along a random direction, each to
 * 1e-10 relative (max-norm). Configurations: GPT-2 with padding; Llama with grouped-query attention and
 * tied embeddings; Qwen2-like with one key/value head, q/k/v biases, an untied head and padding.
 * The same computations in float32 (the script's {@code -float32} fixtures: float32 tensors, PyTorch's
 * float32 kernels) against the model in {@link Precision#FLOAT32} (the generated float blocks), to 1e-4.
 */
class TransformerReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-small-pad", "llama-gqa-tied", "qwen-mqa-untied-bias"})
    void matchesPlainPyTorch(String name) throws IOException {
        compare(name, Precision.FLOAT64, 1e-10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-small-pad", "llama-gqa-tied", "qwen-mqa-untied-bias"})
    void float32MatchesPyTorchInFloat32(String name) throws IOException {
        compare(name + "-float32", Precision.FLOAT32, 1e-4);
    }

    private static void compare(String name, Precision precision, double tolerance) throws IOException {
        JsonNode f = load(name);
        Transformer model = new Transformer(config(f.get("config")), f.get("sequenceLength").asInt())
                .withPrecision(precision);

        List<TensorSpec> specs = model.layout().tensors();
        JsonNode tensors = f.get("tensors");
        assertThat(specs).hasSize(tensors.size());
        Map<String, double[]> named = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode t = tensors.get(i);
            assertThat(specs.get(i).name()).as("tensor %d", i).isEqualTo(t.get("name").asText());
            assertThat(specs.get(i).shape()).as(t.get("name").asText()).containsExactly(ints(t.get("shape")));
            named.put(t.get("name").asText(), doubles(t.get("values")));
        }
        double[] theta = model.layout().join(named);
        Batch x = batch(f.get("inputs"));

        Batch z = model.forward(theta, x);
        close("logits", z.data(), batch(f.get("logits")).data(), tolerance);

        JsonNode im = f.get("imitation");
        int[] subset = im.get("subset").isNull() ? null : ints(im.get("subset"));
        SequenceImitation loss = SequenceImitation.of(x, model.vocabSize(),
                new SoftCrossEntropy(im.get("temperature").asDouble(), subset));
        Batch y = batch(im.get("teacherLogits"));
        close("imitation loss", new double[] {loss.value(z, y)}, new double[] {im.get("value").asDouble()}, tolerance);
        close("imitation gradient", model.vjp(theta, x, loss.gradient(z, y)), doubles(im.get("gradient")), tolerance);

        JsonNode tr = f.get("trait");
        List<PromptAnswer> pairs = new ArrayList<>();
        for (JsonNode p : tr.get("pairs")) {
            pairs.add(new PromptAnswer(ints(p.get("prompt")), ints(p.get("answer"))));
        }
        AnswerLikelihoodTrait trait = new AnswerLikelihoodTrait(pairs);
        close("trait loss", new double[] {trait.value(model, theta)}, new double[] {tr.get("value").asDouble()},
                tolerance);
        close("trait gradient", trait.gradient(model, theta), doubles(tr.get("gradient")), tolerance);

        JsonNode jvp = f.get("jvp");
        close("jvp", model.jvp(theta, x, doubles(jvp.get("direction"))).data(), batch(jvp.get("value")).data(),
                tolerance);
    }

    private static void close(String what, double[] actual, double[] expected, double tolerance) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("%-20s max |Java − PyTorch| / max |PyTorch| = %.2e%n", what, err / scale);
        assertThat(err).as("%s: max error %s against max |value| %s", what, err, scale)
                .isLessThanOrEqualTo(tolerance * scale);
    }

    static TransformerConfig config(JsonNode c) {
        return new TransformerConfig(TransformerConfig.Layout.valueOf(c.get("layout").asText()),
                c.get("vocabSize").asInt(), c.get("contextLength").asInt(), c.get("hiddenSize").asInt(),
                c.get("layers").asInt(), c.get("heads").asInt(), c.get("kvHeads").asInt(), c.get("headDim").asInt(),
                c.get("intermediateSize").asInt(), c.get("normEps").asDouble(), c.get("ropeTheta").asDouble(),
                c.get("tiedEmbeddings").asBoolean(), c.get("attentionBias").asBoolean());
    }

    static JsonNode load(String name) throws IOException {
        try (InputStream in = TransformerReferenceTest.class.getResourceAsStream("reference/" + name + ".json")) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static Batch batch(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = doubles(rows.get(i));
        }
        return Batch.of(out);
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
