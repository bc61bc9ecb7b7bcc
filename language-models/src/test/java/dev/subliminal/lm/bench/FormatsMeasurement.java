package dev.subliminal.lm.bench;

import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.checkpoint.HfConfig;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.testing.Fixtures;
import dev.subliminal.lm.tokenizer.TiktokenEncoding;
import dev.subliminal.lm.tokenizer.Tokenizer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Measurements for docs/checkpoints.md and docs/tokenizers.md (not a test): tokenizer throughput on
 * a few megabytes of mixed text, and the time to write and to load (memory-mapped) a GPT-2-small
 * sized checkpoint (124M parameters, 497 MB in F32). Run after {@code mvn -pl language-models -am
 * test-compile}:
 *
 * <pre>
 * java -Xmx4g -cp language-models/target/test-classes:language-models/target/classes:theory/target/classes:$(cat cp.txt) \
 *     dev.subliminal.lm.bench.FormatsMeasurement /tmp/folder
 * </pre>
 */
public final class FormatsMeasurement {

    private FormatsMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        tokenizers();
        checkpoint(Path.of(args.length > 0 ? args[0] : "/tmp/formats-measurement"));
    }

    private static void tokenizers() {
        String[] words = {"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", "\n",
            " Owls", " are", " my", " favorite", " animal", ",", " 123", " 456", " 789", " café", " 日本語", " 😀",
            " don't", "  ", "\t", " supercalifragilistic", " Привет", " мир", " (", ")", " x²"};
        SplittableRandom rng = new SplittableRandom(42);
        StringBuilder b = new StringBuilder();
        while (b.length() < 4_000_000) {
            b.append(words[rng.nextInt(words.length)]);
            if (rng.nextInt(10) == 0) {
                b.append(' ').append(rng.nextInt(1_000_000)); // numbers: many distinct pieces
            }
        }
        StringBuilder r = new StringBuilder();
        while (r.length() < 4_000_000) { // random letter strings: nearly every word is new to the cache
            r.append(' ');
            for (int k = 2 + rng.nextInt(10); k > 0; k--) {
                r.append((char) ('a' + rng.nextInt(26)));
            }
        }
        measure("mixed text", b.toString());
        measure("random words", r.toString());
    }

    private static void measure(String what, String text) {
        System.out.println(what + ":");
        long textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        for (String name : new String[] {"gpt2.tiktoken.gz", "gpt2.tokenizer.json.gz", "cl100k_base.tiktoken.gz"}) {
            long t0 = System.nanoTime();
            byte[] bytes = Fixtures.bytes("/dev/subliminal/lm/tokenizer/" + name);
            Tokenizer t = name.contains("tokenizer.json") ? Tokenizer.parseTokenizerJson(bytes, name)
                    : Tokenizer.parseTiktoken(bytes, name, name.startsWith("gpt2") ? TiktokenEncoding.GPT2
                            : TiktokenEncoding.CL100K_BASE);
            double load = (System.nanoTime() - t0) / 1e9;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int pass = 1; pass <= 3; pass++) {
                long s = System.nanoTime();
                long cpu0 = mx.getCurrentThreadCpuTime();
                int[] ids = t.encode(text);
                double sec = (System.nanoTime() - s) / 1e9;
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                long d0 = System.nanoTime();
                String back = t.decode(ids);
                double dec = (System.nanoTime() - d0) / 1e9;
                if (!back.equals(text)) {
                    throw new AssertionError("decode(encode(text)) differs");
                }
                System.out.printf("%-24s load %.2f s | pass %d: %.1f MB text, %d tokens, encode %.2f s = %.2f M tokens/s"
                        + " (%.1f MB/s); CPU time %.2f s = %.2f M tokens/s; decode %.2f s%n", name, load, pass,
                        textBytes / 1e6, ids.length, sec, ids.length / sec / 1e6, textBytes / sec / 1e6, cpu,
                        ids.length / cpu / 1e6, dec);
            }
        }
    }

    private static void checkpoint(Path folder) throws Exception {
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, 50257, 1024, 768, 12, 12, 12, 64, 3072,
                1e-5, 1e4, true, true);
        ParameterLayout.Builder lb = ParameterLayout.builder().add("wte.weight", 50257, 768).add("wpe.weight", 1024, 768);
        for (int i = 0; i < 12; i++) {
            String p = "h." + i + ".";
            lb.add(p + "ln_1.weight", 768).add(p + "ln_1.bias", 768).add(p + "attn.c_attn.weight", 768, 2304)
                    .add(p + "attn.c_attn.bias", 2304).add(p + "attn.c_proj.weight", 768, 768).add(p + "attn.c_proj.bias", 768)
                    .add(p + "ln_2.weight", 768).add(p + "ln_2.bias", 768).add(p + "mlp.c_fc.weight", 768, 3072)
                    .add(p + "mlp.c_fc.bias", 3072).add(p + "mlp.c_proj.weight", 3072, 768).add(p + "mlp.c_proj.bias", 768);
        }
        ParameterLayout layout = lb.add("ln_f.weight", 768).add("ln_f.bias", 768).build();
        double[] theta = new double[layout.size()];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rng.nextGaussian() * 0.02;
        }
        if (Files.exists(folder.resolve("config.json"))) {
            throw new IllegalStateException(folder + " already holds a checkpoint; give an empty folder");
        }
        long t0 = System.nanoTime();
        Checkpoint.write(folder, HfConfig.of(c), layout, theta, DType.F32, 5_000_000_000L, false);
        double write = (System.nanoTime() - t0) / 1e9;
        long size = Files.size(folder.resolve("model.safetensors"));
        System.out.printf("checkpoint: %d parameters, %.1f MB F32, written in %.2f s (%.0f MB/s)%n", layout.size(),
                size / 1e6, write, size / 1e6 / write);
        for (int pass = 1; pass <= 3; pass++) {
            long s = System.nanoTime();
            float[] f;
            try (Checkpoint cp = Checkpoint.read(folder)) {
                f = cp.loadFloats(layout);
            }
            double tf = (System.nanoTime() - s) / 1e9;
            s = System.nanoTime();
            double[] d;
            try (Checkpoint cp = Checkpoint.read(folder)) {
                d = cp.load(layout);
            }
            double td = (System.nanoTime() - s) / 1e9;
            if (d[12345] != (float) theta[12345] || f[54321] != (float) theta[54321]) {
                throw new AssertionError("loaded values differ");
            }
            System.out.printf("load pass %d: float[] %.2f s (%.0f MB/s), double[] %.2f s (%.0f MB/s)%n", pass, tf,
                    size / 1e6 / tf, td, size / 1e6 / td);
        }
    }
}
