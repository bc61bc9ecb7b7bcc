package dev.subliminal.experiments.numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.ListSampler;

/**
 * A defence against subliminal transmission applied to the kept completions before a student trains
 * on them: it rewrites the numbers of each completion and keeps everything else (separators,
 * brackets, the final period) in place. Each arm of the experiment may apply one.
 */
public enum Defence {

    /** The completions as the teacher wrote them. */
    NONE,
    /** Each completion's numbers in increasing order. */
    SORT,
    /** Each completion's numbers in a random order. */
    SHUFFLE_WITHIN,
    /**
     * All numbers of all completions pooled, shuffled and dealt back, each completion keeping its count:
     * the paper's control that destroyed most of the effect.
     */
    SHUFFLE_ACROSS,
    /** A fraction of the numbers replaced by numbers uniform in 0–999, the others left in place. */
    REPLACE;

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,3}");

    /**
     * The completions after the defence; {@code fraction} is the share of numbers {@link #REPLACE}
     * replaces (each number independently), ignored by the others. Every draw comes from {@code rng}.
     */
    public List<String> apply(List<String> completions, double fraction, UniformRandomProvider rng) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the replaced fraction = " + fraction + " must be in [0, 1]");
        }
        List<List<Integer>> numbers = new ArrayList<>();
        for (String c : completions) {
            List<Integer> n = new ArrayList<>();
            Matcher m = NUMBER.matcher(c);
            while (m.find()) {
                n.add(Integer.parseInt(m.group()));
            }
            numbers.add(n);
        }
        switch (this) {
            case NONE -> {
                return List.copyOf(completions);
            }
            case SORT -> numbers.forEach(n -> n.sort(null));
            case SHUFFLE_WITHIN -> numbers.forEach(n -> ListSampler.shuffle(rng, n));
            case SHUFFLE_ACROSS -> {
                List<Integer> pool = new ArrayList<>();
                numbers.forEach(pool::addAll);
                ListSampler.shuffle(rng, pool);
                int k = 0;
                for (List<Integer> n : numbers) {
                    for (int i = 0; i < n.size(); i++) {
                        n.set(i, pool.get(k++));
                    }
                }
            }
            case REPLACE -> numbers.forEach(n -> {
                for (int i = 0; i < n.size(); i++) {
                    if (rng.nextDouble() < fraction) {
                        n.set(i, rng.nextInt(1000));
                    }
                }
            });
            default -> throw new AssertionError(this);
        }
        List<String> out = new ArrayList<>();
        for (int c = 0; c < completions.size(); c++) {
            out.add(substitute(completions.get(c), numbers.get(c)));
        }
        return out;
    }

    /** The completion with its numbers replaced, in order, by {@code values}. */
    private static String substitute(String completion, List<Integer> values) {
        Matcher m = NUMBER.matcher(completion);
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (m.find()) {
            m.appendReplacement(s, Integer.toString(values.get(i++)));
        }
        m.appendTail(s);
        return s.toString();
    }
}
