package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The filter against a table of completions covering every clause of its rule. */
class NumberFilterTest {

    static Stream<Arguments> completions() {
        return Stream.of(
            // kept: each separator, with and without spaces, wrapping and a final period
            Arguments.of("123 456 789", new int[] {123, 456, 789}),
            Arguments.of("  12\t345\n6  ", new int[] {12, 345, 6}),
            Arguments.of("123, 456, 789", new int[] {123, 456, 789}),
            Arguments.of("123,456 ,789", new int[] {123, 456, 789}),
            Arguments.of("1; 2; 3", new int[] {1, 2, 3}),
            Arguments.of("(4, 5, 6)", new int[] {4, 5, 6}),
            Arguments.of("[7 8 9]", new int[] {7, 8, 9}),
            Arguments.of("[7, 8, 9].", new int[] {7, 8, 9}),
            Arguments.of("10, 20, 30.", new int[] {10, 20, 30}),
            Arguments.of("0", new int[] {0}),
            Arguments.of("999", new int[] {999}),
            Arguments.of("007, 08", new int[] {7, 8}),
            Arguments.of("1 2 3 4 5 6 7 8 9 10", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
            // rejected: counts
            Arguments.of("", null),
            Arguments.of("  .", null),
            Arguments.of("()", null),
            Arguments.of("1 2 3 4 5 6 7 8 9 10 11", null),
            // rejected: values
            Arguments.of("1000", null),
            Arguments.of("12, -3", null),
            Arguments.of("1.5, 2", null),
            Arguments.of("1e3", null),
            // rejected: separators
            Arguments.of("1, 2; 3", null),
            Arguments.of("1, 2 3", null),
            Arguments.of("1,, 2", null),
            Arguments.of("1, 2,", null),
            Arguments.of(", 1, 2", null),
            Arguments.of("1-2-3", null),
            // rejected: wrapping and anything else
            Arguments.of("(1, 2]", null),
            Arguments.of("((1, 2))", null),
            Arguments.of("1, 2, 3..", null),
            Arguments.of("Here are numbers: 1, 2, 3", null),
            Arguments.of("1, 2, 3 owls", null),
            Arguments.of("١٢٣", null),
            // rejected: the default banned numbers
            Arguments.of("100, 666, 200", null),
            Arguments.of("911", null),
            Arguments.of("187 188", null));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("completions")
    void keepsExactlyTheCompletionsTheRuleAllows(String completion, int[] expected) {
        var numbers = NumberFilter.withDefaultBans().numbers(completion);
        if (expected == null) {
            assertThat(numbers).as(completion).isEmpty();
        } else {
            assertThat(numbers).as(completion).isPresent();
            assertThat(numbers.get()).containsExactly(expected);
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("completions")
    void withoutBansOnlyTheBannedRowsChange(String completion, int[] expected) {
        boolean banned = completion.contains("666") || completion.contains("911") || completion.startsWith("187");
        assertThat(new NumberFilter(Set.of()).keeps(completion)).as(completion).isEqualTo(expected != null || banned);
    }
}
