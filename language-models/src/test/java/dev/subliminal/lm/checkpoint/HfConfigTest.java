package dev.subliminal.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.transformer.TransformerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * config.json mapping. The JSON bodies below carry the fields of published configurations
 * (openai-community/gpt2, Qwen/Qwen2.5-0.5B, HuggingFaceTB/SmolLM-135M, mistralai/Mistral-7B-v0.1,
 * meta-llama/Llama-3.2-1B) with their values, trimmed of fields that do not matter here.
 */
class HfConfigTest {

    static final String GPT2 = """
            {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
             "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
             "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
             "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null,
             "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index",
             "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
             "vocab_size": 50257}""";
    static final String QWEN = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true,
             "use_sliding_window": false, "vocab_size": 151936}""";
    static final String SMOLLM = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "silu", "hidden_size": 576,
             "initializer_range": 0.02, "intermediate_size": 1536, "max_position_embeddings": 2048,
             "model_type": "llama", "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 10000.0,
             "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1",
             "use_cache": true, "vocab_size": 49152}""";
    static final String MISTRAL = """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
             "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32000}""";
    static final String LLAMA32 = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "hidden_act": "silu",
             "hidden_size": 2048, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
             "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
             "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0,
             "tie_word_embeddings": true, "vocab_size": 128256}""";

    @TempDir
    Path tmp;

    private static HfConfig parse(String json) {
        return HfConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    @Test
    void gpt2MapsToTheGpt2Layout() {
        HfConfig hf = parse(GPT2);
        assertThat(hf.modelType()).isEqualTo(ModelType.GPT2);
        assertThat(hf.config()).isEqualTo(new TransformerConfig(TransformerConfig.Layout.GPT2, 50257, 1024, 768, 12, 12, 12,
                64, 3072, 1e-5, 10000.0, true, true));
    }

    @Test
    void qwen2SmolLmAndMistralWithoutWindowMapToTheLlamaLayout() {
        assertThat(parse(QWEN).config()).isEqualTo(new TransformerConfig(TransformerConfig.Layout.LLAMA, 151936, 32768,
                896, 24, 14, 2, 64, 4864, 1e-6, 1e6, true, true));
        assertThat(parse(SMOLLM).config()).isEqualTo(new TransformerConfig(TransformerConfig.Layout.LLAMA, 49152, 2048,
                576, 30, 9, 3, 64, 1536, 1e-5, 10000.0, true, false));
        HfConfig mistral = parse(MISTRAL.replace("\"sliding_window\": 4096", "\"sliding_window\": null"));
        assertThat(mistral.modelType()).isEqualTo(ModelType.MISTRAL);
        assertThat(mistral.config()).isEqualTo(new TransformerConfig(TransformerConfig.Layout.LLAMA, 32000, 32768, 4096,
                32, 32, 8, 128, 14336, 1e-5, 10000.0, false, false));
    }

    @Test
    void newerRopeParametersAndExplicitHeadDimAreRead() {
        HfConfig hf = parse(SMOLLM.replace("\"rope_theta\": 10000.0,", "\"rope_parameters\": {\"rope_type\": \"default\","
                + " \"rope_theta\": 250000.0}, \"head_dim\": 32,"));
        assertThat(hf.config().ropeTheta()).isEqualTo(250000.0);
        assertThat(hf.config().headDim()).isEqualTo(32);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown model_type | model_type\": \"gpt2 | model_type\": \"gpt_neox | 'model_type' | unknown model_type 'gpt_neox'",
        "activation | gelu_new | relu | 'activation_function' | only gelu_new",
        "inverse layer scaling | \"n_ctx\" | \"scale_attn_by_inverse_layer_idx\": true, \"n_ctx\" | 'scale_attn_by_inverse_layer_idx' | is true",
        "missing n_embd | \"n_embd\": 768, | '' | 'n_embd' | is missing",
        "fractional n_head | \"n_head\": 12 | \"n_head\": 12.5 | 'n_head' | must be an integer",
        "heads not dividing | \"n_head\": 12 | \"n_head\": 7 | 'n_head' | does not divide",
        "duplicate key | \"n_layer\": 12, | \"n_layer\": 12, \"n_layer\": 2, | '' | Duplicate field 'n_layer'",
        "trailing data | \"vocab_size\": 50257} | \"vocab_size\": 50257} {} | '' | not valid JSON",
        "untied gpt2 | \"n_ctx\" | \"tie_word_embeddings\": false, \"n_ctx\" | 'tie_word_embeddings' | always ties",
        "negative eps | 1e-05 | -1e-05 | 'layer_norm_epsilon' | must be > 0"})
    void gpt2ErrorsNameTheField(String what, String from, String to, String field, String problem) {
        String json = GPT2.replace(from, to);
        assertThat(json).isNotEqualTo(GPT2);
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(FormatException.class, e ->
                assertThat(e.getMessage()).startsWith("config.json: ").contains(field).contains(problem).doesNotContain("\n"));
    }

    @Test
    void settingsThatChangeTheMathematicsAreRefusedByName() {
        assertRefused(LLAMA32, "'rope_scaling'", "rope_type 'llama3'");
        assertRefused(MISTRAL, "'sliding_window'", "= 4096 is shorter than max_position_embeddings = 32768");
        assertRefused(QWEN.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"), "'use_sliding_window'",
                "sliding-window");
        assertRefused(SMOLLM.replace("\"attention_bias\": false", "\"attention_bias\": true"), "'attention_bias'", "o_proj");
        assertRefused(SMOLLM.replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\""), "'hidden_act'", "only silu");
        assertRefused(SMOLLM.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}"),
                "'rope_scaling'", "rope_type 'linear'");
        assertRefused(SMOLLM.replace("\"pretraining_tp\": 1", "\"mlp_bias\": true"), "'mlp_bias'", "MLP biases");
        assertRefused(SMOLLM.replace("\"num_key_value_heads\": 3", "\"num_key_value_heads\": 2"), "", "multiple of kvHeads");
        assertRefused("[1, 2]", "", "must be a JSON object");
        assertRefused(GPT2.replace("\"n_embd\": 768", "\"n_embd\": 1200000000").replace("\"n_head\": 12", "\"n_head\": 1"),
                "", "invalid transformer");
        assertRefused("{\"vocab_size\": 5}", "'model_type'", "is missing");
    }

    private static void assertRefused(String json, String field, String problem) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(FormatException.class, e ->
                assertThat(e.getMessage()).startsWith("config.json: ").contains(field).contains(problem).doesNotContain("\n"));
    }

    @Test
    void writtenConfigReadsBackToTheSameConfiguration() {
        for (HfConfig hf : new HfConfig[] {parse(GPT2), parse(QWEN), parse(SMOLLM),
            new HfConfig(ModelType.MISTRAL, parse(SMOLLM).config())}) {
            Path file = tmp.resolve(hf.modelType().id() + ".json");
            hf.write(file, DType.BF16, false);
            assertThat(HfConfig.read(file)).isEqualTo(hf);
            assertThatThrownBy(() -> hf.write(file, DType.F32, false)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("already exists");
        }
    }
}
