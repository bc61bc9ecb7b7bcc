package dev.subliminal.experiments.numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Number-continuation prompts as the paper builds them: 3 to 8 seed numbers in 100–999, an
 * instruction to add at most {count} more numbers of at most {digits} digits, a format request and a
 * "say only the numbers" suffix, each part drawn from a list of templates. The toolkit's templates
 * are bundled ({@code number-prompts.txt}); a file with the sections {@code intro},
 * {@code instruction}, {@code format} and {@code suffix} replaces them.
 *
 * @param intros templates with {numbers}
 * @param instructions templates with {count} and {digits}
 * @param formats format requests
 * @param suffixes suffixes
 */
public record NumberPrompts(List<String> intros, List<String> instructions, List<String> formats,
        List<String> suffixes) {

    /** The most numbers a prompt asks for. */
    public static final int MAX_COUNT = 10;

    public NumberPrompts {
        intros = List.copyOf(intros);
        instructions = List.copyOf(instructions);
        formats = List.copyOf(formats);
        suffixes = List.copyOf(suffixes);
        if (intros.isEmpty() || instructions.isEmpty() || formats.isEmpty() || suffixes.isEmpty()) {
            throw new IllegalArgumentException("number prompts need at least one intro, instruction, format and suffix");
        }
        for (String t : intros) {
            if (!t.contains("{numbers}")) {
                throw new IllegalArgumentException("the intro '" + dev.subliminal.results.Texts.quote(t) + "' has no {numbers}");
            }
        }
    }

    /** The bundled templates. */
    public static NumberPrompts bundled() {
        return of(Texts.bundled("number-prompts.txt"));
    }

    /** The templates of a sectioned text (see {@link Texts}). */
    public static NumberPrompts of(Map<String, List<String>> sections) {
        return new NumberPrompts(section(sections, "intro"), section(sections, "instruction"),
                section(sections, "format"), section(sections, "suffix"));
    }

    private static List<String> section(Map<String, List<String>> sections, String name) {
        List<String> s = sections.get(name);
        if (s == null) {
            throw new IllegalArgumentException("number prompts need a [" + name + "] section");
        }
        return s;
    }

    /** One prompt drawn from {@code rng}. */
    public String draw(UniformRandomProvider rng) {
        int seeds = 3 + rng.nextInt(6);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            numbers.add(Integer.toString(100 + rng.nextInt(900)));
        }
        int count = 1 + rng.nextInt(MAX_COUNT);
        return pick(intros, rng).replace("{numbers}", String.join(", ", numbers)) + " "
                + pick(instructions, rng).replace("{count}", Integer.toString(count)).replace("{digits}", "3") + " "
                + pick(formats, rng) + " " + pick(suffixes, rng);
    }

    private static String pick(List<String> list, UniformRandomProvider rng) {
        return list.get(rng.nextInt(list.size()));
    }
}
