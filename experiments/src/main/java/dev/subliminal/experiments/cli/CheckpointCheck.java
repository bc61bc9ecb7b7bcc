package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.check.CheckpointShape;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.TransformerFamily;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.model.Batch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The case of {@code check --checkpoint DIR}: the architecture and θ0 from the folder, the trait pairs
 * from {@code --trait-pairs FILE} (one {@code prompt<TAB>answer} per line), the student's sequences
 * from {@code --sequences FILE} (one text per line) and the imitation loss's vocabulary subset from
 * {@code --vocabulary FILE} (one single-token text per line), all encoded with the folder's tokenizer; without
 * them, random token pairs and sequences as the transformer family draws them. In both files
 * {@code \n}, {@code \t} and {@code \\} stand for a newline, a tab and a backslash; blank lines are
 * skipped. T is the longest sequence or fed trait pair (prompt and answer but its last token), at
 * least {@code --sequence-length} when that is given. Of the model's settings only
 * {@code --sequence-length}, {@code --precision} and {@code --init-std} apply; the check's own settings
 * apply as usual ({@code --samples} and {@code --trait-samples} count the random draws and are set to
 * the files' counts when files are given).
 */
final class CheckpointCheck {

    private CheckpointCheck() {
    }

    /** The case and the shape it runs on. */
    record Built(CheckCase checkCase, CheckpointShape shape) {
    }

    static Built build(Path folder, Path traitPairs, Path sequences, Path vocabulary, Map<String, JsonNode> given,
            long seed) {
        List<Setting<?>> allowed = List.of(TransformerFamily.SEQUENCE, TransformerFamily.PRECISION,
                TransformerFamily.INIT_STD);
        for (Setting<?> s : ModelFamilies.settings()) {
            if (given.containsKey(s.key()) && !allowed.contains(s)) {
                throw new IllegalArgumentException(s.flag() + ": the checkpoint's config.json gives the architecture; "
                        + "with --checkpoint only --sequence-length, --precision and --init-std apply");
            }
            if (given.containsKey(ModelFamilies.student(s).key())) {
                throw new IllegalArgumentException(ModelFamilies.student(s).flag() + ": with --checkpoint the student "
                        + "is the checkpoint's transformer");
            }
        }
        if (given.containsKey(ModelFamilies.MODEL.key())
                && !given.get(ModelFamilies.MODEL.key()).textValue().strip().equals(TransformerFamily.NAME)) {
            throw new IllegalArgumentException("--model: a checkpoint is a " + TransformerFamily.NAME);
        }
        LmCheckpoint cp = LmCheckpoint.read(folder);
        List<String[]> pairTexts = traitPairs == null ? null : pairs(traitPairs);
        List<String> seqTexts = sequences == null ? null : lines(sequences);
        List<PromptAnswer> pairs = null;
        int length = 0;
        if (pairTexts != null) {
            pairs = new ArrayList<>();
            for (int i = 0; i < pairTexts.size(); i++) {
                String where = "--trait-pairs " + traitPairs + " pair " + (i + 1);
                int[] p = cp.encode(pairTexts.get(i)[0], where);
                int[] a = cp.encode(pairTexts.get(i)[1], where);
                if (p.length == 0 || a.length == 0) {
                    throw new IllegalArgumentException(where + ": prompt and answer need at least one token each");
                }
                pairs.add(new PromptAnswer(p, a));
                length = Math.max(length, p.length + a.length - 1);
            }
        }
        List<int[]> seqs = new ArrayList<>();
        if (seqTexts != null) {
            for (int i = 0; i < seqTexts.size(); i++) {
                int[] ids = cp.encode(seqTexts.get(i), "--sequences " + sequences + " line " + (i + 1));
                seqs.add(ids);
                length = Math.max(length, ids.length);
            }
        }
        Setting<Integer> seq = TransformerFamily.SEQUENCE;
        if (given.containsKey(seq.key())) {
            length = Math.max(length, seq.parse(given.get(seq.key()).textValue()));
        } else if (length == 0) {
            length = seq.defaultValue();
        }
        if (length > cp.config().contextLength()) {
            throw new IllegalArgumentException("the longest sequence or trait pair needs " + length
                    + " positions but the checkpoint's context length is " + cp.config().contextLength());
        }
        List<String> vocabTexts = vocabulary == null ? null : lines(vocabulary);
        int[] subset = null;
        if (vocabTexts != null) {
            java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
            for (int i = 0; i < vocabTexts.size(); i++) {
                String where = "--vocabulary " + vocabulary + " line " + (i + 1);
                int[] t = cp.encode(vocabTexts.get(i), where);
                if (t.length != 1) {
                    throw new IllegalArgumentException(where + ": '" + vocabTexts.get(i) + "' is " + t.length
                            + " tokens " + Arrays.toString(t) + ", not one");
                }
                if (!ids.add(t[0])) {
                    throw new IllegalArgumentException(where + ": '" + vocabTexts.get(i) + "' (token " + t[0]
                            + ") is listed twice");
                }
            }
            subset = ids.stream().mapToInt(Integer::intValue).toArray();
        }
        Precision precision = value(given, TransformerFamily.PRECISION);
        double initStd = value(given, TransformerFamily.INIT_STD);
        TransformerFamily.Shape shape = new TransformerFamily.Shape(cp.config(), length, initStd, precision);
        CheckpointShape arch = new CheckpointShape(shape, cp.theta(), pairs, subset, new CheckpointShape.Source(
                folder.toString(), cp.modelType(), weightsSha256(folder), pairTexts, seqTexts, vocabTexts));
        Values values = Values.empty();
        for (Setting<?> s : CheckConfig.SETTINGS) {
            values = put(values, s, given);
        }
        if (pairs != null) {
            values = values.with(CheckConfig.TRAIT_SAMPLES, pairs.size());
        }
        Batch data = null;
        if (seqTexts != null) {
            double[][] rows = new double[seqs.size()][length];
            for (int r = 0; r < rows.length; r++) {
                Arrays.fill(rows[r], -1);
                for (int i = 0; i < seqs.get(r).length; i++) {
                    rows[r][i] = seqs.get(r)[i];
                }
            }
            data = Batch.of(rows);
            values = values.with(CheckConfig.SAMPLES, rows.length);
        }
        if (!given.containsKey(CheckConfig.INPUTS.key())) {
            values = values.with(CheckConfig.INPUTS, dev.subliminal.simulation.check.InputDistribution.UNIFORM);
        }
        CheckConfig config = CheckConfig.of(arch, arch, values);
        MemoryBudget.require(config.memoryBytes(), "the check");
        return new Built(new CheckCase(config, seed, data), arch);
    }

    private static <T> T value(Map<String, JsonNode> given, Setting<T> s) {
        return given.containsKey(s.key()) ? s.parse(given.get(s.key()).textValue()) : s.defaultValue();
    }

    private static <T> Values put(Values v, Setting<T> s, Map<String, JsonNode> given) {
        return given.containsKey(s.key()) ? v.with(s, s.parse(given.get(s.key()).textValue())) : v;
    }

    /** The non-blank lines of a UTF-8 file, unescaped. */
    static List<String> lines(Path file) {
        List<String> out = new ArrayList<>();
        for (String line : LmCommand.readText(file).split("\r?\n", -1)) {
            if (!line.isBlank()) {
                out.add(unescape(line, file));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no text (one item per line)");
        }
        return out;
    }

    /** {prompt, answer} of each non-blank line {@code prompt<TAB>answer}. */
    static List<String[]> pairs(Path file) {
        List<String[]> out = new ArrayList<>();
        String[] raw = LmCommand.readText(file).split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isBlank()) {
                continue;
            }
            String[] parts = raw[i].split("\t", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 'prompt<TAB>answer', found "
                        + (parts.length - 1) + " tabs");
            }
            out.add(new String[] {unescape(parts[0], file), unescape(parts[1], file)});
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompt/answer pair (one 'prompt<TAB>answer' per line)");
        }
        return out;
    }

    private static String unescape(String s, Path file) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = i + 1 < s.length() ? s.charAt(++i) : ' ';
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case '\\' -> b.append('\\');
                default -> throw new IllegalArgumentException(file + ": unknown escape '\\" + n
                        + "' (use \\n, \\t or \\\\)");
            }
        }
        return b.toString();
    }

    /** SHA-256 over the folder's weight files (*.safetensors, by name), in hex. */
    static String weightsSha256(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (Path p : s.filter(q -> q.getFileName().toString().endsWith(".safetensors")).sorted().toList()) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
                    while (in.read(buffer) >= 0) {
                        // the stream updates the digest
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
