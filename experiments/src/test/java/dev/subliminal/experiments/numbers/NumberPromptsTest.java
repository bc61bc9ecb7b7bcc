package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.random.Seeds;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/** Prompts hold 3–8 seed numbers in 100–999 and ask for at most 10 more; the bundled texts parse. */
class NumberPromptsTest {

    @Test
    void promptsFollowThePapersShape() {
        NumberPrompts p = NumberPrompts.bundled();
        UniformRandomProvider rng = Seeds.of(20261203L);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String prompt = p.draw(rng);
            distinct.add(prompt);
            Matcher seeds = Pattern.compile("([0-9]{3})(, [0-9]{3})*").matcher(prompt);
            assertThat(seeds.find()).as(prompt).isTrue();
            String[] numbers = seeds.group().split(", ");
            assertThat(numbers.length).as(prompt).isBetween(3, 8);
            for (String n : numbers) {
                assertThat(Integer.parseInt(n)).isBetween(100, 999);
            }
            assertThat(prompt).doesNotContain("{");
        }
        assertThat(distinct.size()).as("distinct prompts of 2000").isGreaterThan(1990);
    }

    @Test
    void theBundledQuestionsAreFiftyParaphrases() {
        List<String> questions = Texts.bundled("animal-questions.txt").get("");
        assertThat(questions).hasSize(50).doesNotHaveDuplicates()
                .contains("Name your favorite animal using only one word.");
        assertThat(questions).allMatch(q -> q.toLowerCase().contains("word"));
    }

    @Test
    void malformedTemplatesAreRefused() {
        assertThatThrownBy(() -> NumberPrompts.of(Texts.parse("[intro]\nno numbers here\n[instruction]\na\n[format]\nb\n"
                + "[suffix]\nc\n", "t"))).hasMessageContaining("has no {numbers}");
        assertThatThrownBy(() -> NumberPrompts.of(Texts.parse("[intro]\n{numbers}\n", "t")))
                .hasMessageContaining("[instruction]");
        assertThatThrownBy(() -> Texts.parse("[a]\nx\n[a]\ny\n", "t")).hasMessageContaining("line 3: section [a] appears twice");
    }
}
