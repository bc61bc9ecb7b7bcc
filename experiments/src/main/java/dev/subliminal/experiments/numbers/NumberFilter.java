package dev.subliminal.experiments.numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The paper's filter on a teacher's completion of a number prompt: keep it only if it holds 1 to 10
 * integers in 0–999 (at most three digits each), separated by one consistent separator (whitespace,
 * a comma or a semicolon, with optional spaces around a comma or semicolon), optionally wrapped in
 * parentheses or square brackets, optionally ending with a period, and nothing else; and, when a list
 * of banned numbers is given, none of them. Leading and trailing whitespace is ignored.
 *
 * @param banned numbers a kept completion must not contain
 */
public record NumberFilter(Set<Integer> banned) {

    /** The paper's default banned numbers: 666, 911, 187. */
    public static final Set<Integer> DEFAULT_BANNED = Set.of(666, 911, 187);

    /** The most numbers a kept completion holds. */
    public static final int MAX_NUMBERS = 10;

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,3}");
    private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");
    private static final Pattern SEMICOLON = Pattern.compile("\\s*;\\s*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public NumberFilter {
        banned = Set.copyOf(banned);
    }

    /** The paper's filter with its default banned numbers. */
    public static NumberFilter withDefaultBans() {
        return new NumberFilter(DEFAULT_BANNED);
    }

    /** The numbers of a completion the filter keeps, in order; empty when it is rejected. */
    public Optional<int[]> numbers(String completion) {
        String s = completion.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.length() >= 2 && (s.startsWith("(") && s.endsWith(")") || s.startsWith("[") && s.endsWith("]"))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        boolean comma = s.indexOf(',') >= 0;
        boolean semicolon = s.indexOf(';') >= 0;
        if (comma && semicolon) {
            return Optional.empty();
        }
        Pattern separator = comma ? COMMA : semicolon ? SEMICOLON : WHITESPACE;
        String[] parts = separator.split(s, -1);
        if (parts.length > MAX_NUMBERS) {
            return Optional.empty();
        }
        List<Integer> out = new ArrayList<>();
        for (String p : parts) {
            if (!NUMBER.matcher(p).matches()) {
                return Optional.empty();
            }
            int n = Integer.parseInt(p);
            if (banned.contains(n)) {
                return Optional.empty();
            }
            out.add(n);
        }
        return Optional.of(out.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Whether the filter keeps the completion. */
    public boolean keeps(String completion) {
        return numbers(completion).isPresent();
    }

    @Override
    public String toString() {
        return "numbers filter, banned " + Arrays.toString(banned.stream().sorted().toArray());
    }
}
