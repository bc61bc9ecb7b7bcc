package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.lm.backend.TinyModel;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.lm.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chat templates (docs/llm.md): a template from its four fields ({@code new ChatTemplate}: message
 * format, generation prefix, end of turn, special tokens) and by name ({@code ChatTemplate.named},
 * as {@code serve --template} and the llm configuration's {@code template} read it), then a
 * conversation rendered and encoded with the byte-level tokenizer of {@code serve --tiny} prepared
 * with the template's special tokens. The ids must decode to the rendered text.
 *
 * <p>The input is the template's fields and the messages as UTF-8 text separated by NUL: message
 * format, generation prefix, end of turn, the special tokens separated by U+0001, then one field per
 * message, whose first character picks the role (its code modulo 3: system, user, assistant) and
 * whose rest is the content. {@link WriterSeeds} writes the built-in templates so.
 */
class ChatTemplateFuzzTest {

    private static final int MAX_INPUT = 1 << 16;
    private static final Tokenizer BYTES = Tokenizer.parseTokenizerJson(
            TinyModel.byteLevelTokenizer(List.of()).getBytes(StandardCharsets.UTF_8), "tokenizer.json");

    @FuzzTest(maxDuration = "10m")
    void template(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        List<String> fields = new ArrayList<>(Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\0", -1)));
        while (fields.size() < 4) {
            fields.add("");
        }
        BadInput.allowed(() -> ChatTemplate.named(fields.get(0)));
        List<Message> messages = new ArrayList<>();
        for (String m : fields.subList(4, fields.size())) {
            Role role = m.isEmpty() ? Role.USER : Role.values()[m.codePointAt(0) % 3];
            messages.add(new Message(role, m.isEmpty() ? "" : m.substring(Character.charCount(m.codePointAt(0)))));
        }
        BadInput.allowed(() -> {
            ChatTemplate t = new ChatTemplate(fields.get(0), fields.get(1), fields.get(2),
                    Arrays.asList(fields.get(3).split("\u0001", -1)));
            Tokenizer tokenizer = t.prepare(BYTES);
            String text = t.render(messages, true);
            int[] ids = t.encode(tokenizer, messages, true);
            String back = tokenizer.decode(ids);
            if (!back.equals(text)) {
                throw new AssertionError("the ids of '" + text + "' decode to '" + back + "'");
            }
            t.endOfTurnId(tokenizer);
        });
    }
}
