package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.experiments.numbers.ChatCorpus;
import dev.subliminal.experiments.numbers.NumberPrompts;
import dev.subliminal.experiments.numbers.Texts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings files of the number experiment ({@code subliminal numbers --prompts-file,
 * --questions-file, --animals-file, --chat-file}, the files of {@code NumbersConfig}; docs/numbers.md)
 * as the pipeline reads them: {@link Texts#read(Path)}, then {@link NumberPrompts} and the
 * {@link ChatCorpus} they make with the bundled files in place of the others. Each input is tried
 * as each of the four files; a corpus that builds must then draw conversations and render them.
 */
class NumbersTextsFuzzTest {

    private static final int MAX_INPUT = 1 << 16;
    private static final Map<String, List<String>> PROMPTS = Texts.bundled("number-prompts.txt");
    private static final Map<String, List<String>> QUESTIONS = Texts.bundled("animal-questions.txt");
    private static final Map<String, List<String>> ANIMALS = Texts.bundled("animals.txt");
    private static final Map<String, List<String>> CHAT = Texts.bundled("chat-texts.txt");

    @FuzzTest(maxDuration = "10m")
    void settings(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("settings.txt", data);
        for (int which = 0; which < 4; which++) {
            int w = which;
            BadInput.allowed(() -> {
                Map<String, List<String>> texts = Texts.read(file);
                ChatCorpus c = ChatCorpus.of(NumberPrompts.of(w == 0 ? texts : PROMPTS), w == 1 ? texts : QUESTIONS,
                        w == 2 ? texts : ANIMALS, w == 3 ? texts : CHAT);
                for (ChatCorpus.Conversation conversation : c.conversations(4, data.length)) {
                    ChatCorpus.TEMPLATE.render(conversation.prompt(), true);
                }
                c.vocabularyTexts();
                c.teacherSystem(c.animals().keySet().iterator().next());
            });
        }
    }
}
