package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each defence on a fixed input: the numbers it must keep, move or replace, and the text it must not touch. */
class DefenceTest {

    private static final List<String> INPUT = List.of("(512, 7, 300).", "9 81 729", "[44; 4; 444]", "16");

    private static List<Integer> numbers(String s) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("[0-9]+").matcher(s);
        while (m.find()) {
            out.add(Integer.parseInt(m.group()));
        }
        return out;
    }

    /** The text with every number replaced by #: what a defence must leave as it is. */
    private static String shape(String s) {
        return s.replaceAll("[0-9]+", "#");
    }

    @Test
    void noneAndSortGiveTheExpectedText() {
        assertThat(Defence.NONE.apply(INPUT, 0, Seeds.of(1))).isEqualTo(INPUT);
        assertThat(Defence.SORT.apply(INPUT, 0, Seeds.of(1)))
                .containsExactly("(7, 300, 512).", "9 81 729", "[4; 44; 444]", "16");
    }

    @Test
    void shuffleWithinPermutesEachCompletionAndKeepsItsShape() {
        List<String> out = Defence.SHUFFLE_WITHIN.apply(INPUT, 0, Seeds.of(3));
        for (int i = 0; i < INPUT.size(); i++) {
            assertThat(shape(out.get(i))).isEqualTo(shape(INPUT.get(i)));
            assertThat(numbers(out.get(i))).containsExactlyInAnyOrderElementsOf(numbers(INPUT.get(i)));
        }
        assertThat(Defence.SHUFFLE_WITHIN.apply(INPUT, 0, Seeds.of(3))).as("same seed, same output").isEqualTo(out);
    }

    @Test
    void shuffleAcrossDealsThePoolBackWithTheSameCounts() {
        List<String> out = Defence.SHUFFLE_ACROSS.apply(INPUT, 0, Seeds.of(5));
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < INPUT.size(); i++) {
            assertThat(shape(out.get(i))).isEqualTo(shape(INPUT.get(i)));
            before.addAll(numbers(INPUT.get(i)));
            after.addAll(numbers(out.get(i)));
        }
        assertThat(after).containsExactlyInAnyOrderElementsOf(before).isNotEqualTo(before);
    }

    @Test
    void replaceChangesAboutItsFractionAndNothingAtZeroOrAllAtOne() {
        assertThat(Defence.REPLACE.apply(INPUT, 0, Seeds.of(7))).isEqualTo(INPUT);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add("500 500 500 500 500");
        }
        List<String> out = Defence.REPLACE.apply(many, 0.3, Seeds.of(9));
        long changed = out.stream().flatMap(s -> numbers(s).stream()).filter(n -> n != 500).count();
        // 10,000 numbers, each replaced with probability 0.3 and then 999/1000 different: mean 2997, sd ≈ 46;
        // the band is about ±4.3 sd (seed 9)
        assertThat(changed).isBetween(2800L, 3200L);
        assertThat(out.get(0)).matches("[0-9]{1,3}( [0-9]{1,3}){4}");
        assertThatThrownBy(() -> Defence.REPLACE.apply(INPUT, 1.5, Seeds.of(1))).hasMessageContaining("1.5");
    }
}
