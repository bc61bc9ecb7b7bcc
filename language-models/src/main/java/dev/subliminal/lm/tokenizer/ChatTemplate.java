package dev.subliminal.lm.tokenizer;

import dev.subliminal.results.Texts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a conversation (system / user / assistant messages) becomes one text and one id sequence:
 * each message is {@code messageFormat} with {@code {role}} and {@code {content}} filled in, and
 * {@code generationPrefix} opens the assistant's turn that a model is asked to generate, which ends
 * with {@code endOfTurn}.
 *
 * <p>Two formats are built in: {@link #PLAIN}, {@code <|role|>\n content <|end|>\n} (as Phi-3 writes
 * conversations), and {@link #CHATML}, {@code <|im_start|>role\n content <|im_end|>\n} (as Qwen
 * does). Their markers are special tokens; {@link #prepare} adds those a tokenizer lacks.
 *
 * <p>Encoding gives the ids Hugging Face gets by rendering the text and tokenizing it with special
 * tokens recognised, with one difference that makes it safe: special tokens are recognised in the
 * template's own text only, never inside a message's content, so a message that contains
 * {@code <|im_end|>} cannot close its turn early.
 *
 * @param messageFormat one message, with {@code {role}} at most once and {@code {content}} exactly once
 * @param generationPrefix the text that opens the assistant's turn
 * @param endOfTurn the special token that ends a turn (where generation stops)
 * @param specialTokens the special tokens the format uses
 */
public record ChatTemplate(String messageFormat, String generationPrefix, String endOfTurn, List<String> specialTokens) {

    /** {@code <|system|>\n...<|end|>\n<|user|>\n...<|end|>\n<|assistant|>\n}. */
    public static final ChatTemplate PLAIN = new ChatTemplate("<|{role}|>\n{content}<|end|>\n", "<|assistant|>\n",
            "<|end|>", List.of("<|system|>", "<|user|>", "<|assistant|>", "<|end|>"));

    /** ChatML: {@code <|im_start|>role\n...<|im_end|>\n}, then {@code <|im_start|>assistant\n}. */
    public static final ChatTemplate CHATML = new ChatTemplate("<|im_start|>{role}\n{content}<|im_end|>\n",
            "<|im_start|>assistant\n", "<|im_end|>", List.of("<|im_start|>", "<|im_end|>"));

    /** Who speaks. */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** The lower-case name written into the text. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One message of a conversation. */
    public record Message(Role role, String content) {
        public Message {
            if (role == null || content == null) {
                throw new IllegalArgumentException("a message needs a role and a content");
            }
        }
    }

    public ChatTemplate {
        int content = count(messageFormat, "{content}");
        if (content != 1 || count(messageFormat, "{role}") > 1) {
            throw new IllegalArgumentException("messageFormat must hold {content} once and {role} at most once: "
                    + Texts.quote(messageFormat));
        }
        if (!specialTokens.contains(endOfTurn)) {
            throw new IllegalArgumentException("endOfTurn " + Texts.quote(endOfTurn) + " must be one of the special tokens "
                    + Texts.quote(specialTokens));
        }
        specialTokens = List.copyOf(specialTokens);
    }

    /** A template from the command line: {@code plain} or {@code chatml}. */
    public static ChatTemplate named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "plain" -> PLAIN;
            case "chatml" -> CHATML;
            default -> throw new IllegalArgumentException("unknown chat template '" + Texts.quote(name)
                    + "'; expected plain or chatml");
        };
    }

    /** {@code tokenizer} with this format's special tokens (new ones get the next free ids). */
    public Tokenizer prepare(Tokenizer tokenizer) {
        return tokenizer.withSpecialTokens(specialTokens);
    }

    /** {@code tokenizer} with this format's special tokens (a word-level tokenizer must hold them already). */
    public TokenCodec prepare(TokenCodec tokenizer) {
        return tokenizer instanceof Tokenizer t ? prepare(t) : tokenizer.withSpecialTokens(specialTokens);
    }

    /** The conversation as text, with the assistant's opening when {@code generationPrefix}. */
    public String render(List<Message> messages, boolean addGenerationPrefix) {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments(messages, addGenerationPrefix)) {
            b.append(s.text);
        }
        return b.toString();
    }

    /** The ids of the rendered conversation; special tokens only where the template puts them. */
    public int[] encode(TokenCodec tokenizer, List<Message> messages, boolean addGenerationPrefix) {
        for (String s : specialTokens) {
            if (!tokenizer.specialTokens().containsKey(s)) {
                throw new IllegalArgumentException("the tokenizer has no special token " + Texts.quote(s)
                        + "; call prepare(tokenizer) first");
            }
        }
        Pattern specials = Pattern.compile(tokenizer.specialTokens().keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote).collect(Collectors.joining("|")));
        List<Integer> ids = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (Segment s : segments(messages, addGenerationPrefix)) {
            if (!s.template) {
                pending.append(s.text);
                continue;
            }
            Matcher m = specials.matcher(s.text);
            int at = 0;
            while (m.find()) {
                pending.append(s.text, at, m.start());
                flush(tokenizer, pending, ids);
                ids.add(tokenizer.specialId(m.group()));
                at = m.end();
            }
            pending.append(s.text, at, s.text.length());
        }
        flush(tokenizer, pending, ids);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The id generation stops at. */
    public int endOfTurnId(TokenCodec tokenizer) {
        return tokenizer.specialId(endOfTurn);
    }

    private static void flush(TokenCodec tokenizer, StringBuilder pending, List<Integer> ids) {
        if (pending.length() > 0) {
            for (int id : tokenizer.encode(pending.toString())) {
                ids.add(id);
            }
            pending.setLength(0);
        }
    }

    private record Segment(String text, boolean template) {
    }

    private List<Segment> segments(List<Message> messages, boolean addGenerationPrefix) {
        List<Segment> out = new ArrayList<>();
        int c = messageFormat.indexOf("{content}");
        String before = messageFormat.substring(0, c);
        String after = messageFormat.substring(c + "{content}".length());
        for (Message m : messages) {
            out.add(new Segment(before.replace("{role}", m.role().text()), true));
            out.add(new Segment(m.content(), false));
            out.add(new Segment(after.replace("{role}", m.role().text()), true));
        }
        if (addGenerationPrefix) {
            out.add(new Segment(generationPrefix, true));
        }
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "ChatTemplate" + Arrays.asList(messageFormat, generationPrefix, endOfTurn);
    }
}
