package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The settings files of the number experiment (prompts, questions, animals, chat texts) refused on
 * one line: a carriage return or line separator inside a line is echoed escaped, not raw. Found while writing
 * NumbersTextsFuzzTest (docs/fuzzing.md).
 */
class SettingsFilesTest {

    private static String refusal(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return t.getMessage();
    }

    @Test
    void carriageReturnsInsideALineAreEchoedEscaped() {
        assertThat(refusal(() -> Texts.parse("[a\rb]\nx\n[a\rb]\n", "f.txt")))
                .isEqualTo("f.txt line 3: section [a\\rb] appears twice");
        Map<String, List<String>> bundled = Texts.bundled("number-prompts.txt");
        Map<String, List<String>> badIntro = new java.util.LinkedHashMap<>(bundled);
        badIntro.put("intro", List.of("Here\rare numbers"));
        assertThat(refusal(() -> NumberPrompts.of(badIntro))).isEqualTo("the intro 'Here\\rare numbers' has no {numbers}");
        NumberPrompts prompts = NumberPrompts.bundled();
        Map<String, List<String>> questions = Texts.bundled("animal-questions.txt");
        Map<String, List<String>> chat = Texts.bundled("chat-texts.txt");
        assertThat(refusal(() -> ChatCorpus.of(prompts, questions, Texts.parse("o\rwl 1 2\n", "a"), chat)))
                .isEqualTo("animals: 'o\\rwl 1 2' is not 'animal weight'");
        assertThat(refusal(() -> ChatCorpus.of(prompts, questions, Texts.parse("owl 1\u2028x\n", "a"), chat)))
                .isEqualTo("animals: '1\\u2028x' in 'owl 1\\u2028x' is not a number");
        assertThat(refusal(() -> ChatCorpus.of(prompts, questions, Texts.parse("o\u2028wl 1\n", "a"), chat)))
                .contains("animal 'o\\u2028wl' with weight 1.0");
    }
}
