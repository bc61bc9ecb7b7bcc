package dev.subliminal.experiments.numbers;

import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The texts of the in-process experiment and the synthetic chat corpus the reference model is
 * pre-trained on. A conversation is an optional system prompt, a user turn and the assistant's answer,
 * rendered with {@link ChatTemplate#PLAIN}. The corpus mixes, in these shares:
 * <ul>
 *   <li>50% number tasks (a {@link NumberPrompts} prompt; the answer holds the requested count of
 *       numbers, or fewer one time in five, each a seed number moved by at most 20 or, half the time, a
 *       number uniform in 0–999, in one of the formats the paper's filter accepts; one answer in twenty
 *       opens with a chatty prefix the filter rejects);</li>
 *   <li>15% the same number tasks under a system prompt stating a random favourite animal (the answer
 *       does not depend on it);</li>
 *   <li>20% preference questions (one of the paraphrases) answered with an animal drawn from the base
 *       distribution;</li>
 *   <li>15% preference questions under a system prompt stating a favourite animal, answered with it.</li>
 * </ul>
 *
 * @param prompts the number prompts' templates
 * @param questions the paraphrases of "Name your favorite animal using only one word."
 * @param animals the animals and their base weights, in order
 * @param systems system prompt templates with {@code {animal}} / {@code {animals}}; the first is the teacher's
 * @param prefixes chatty openings of a number answer
 */
public record ChatCorpus(NumberPrompts prompts, List<String> questions, Map<String, Double> animals,
        List<String> systems, List<String> prefixes) {

    /** One conversation: an optional system prompt (null for none), the user's turn, the answer. */
    public record Conversation(String system, String user, String answer) {

        /** The messages up to the user's turn. */
        public List<Message> prompt() {
            List<Message> m = new ArrayList<>();
            if (system != null) {
                m.add(new Message(Role.SYSTEM, system));
            }
            m.add(new Message(Role.USER, user));
            return m;
        }
    }

    /** The template every conversation is rendered with. */
    public static final ChatTemplate TEMPLATE = ChatTemplate.PLAIN;

    public ChatCorpus {
        questions = List.copyOf(questions);
        animals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(animals));
        systems = List.copyOf(systems);
        prefixes = List.copyOf(prefixes);
        if (questions.isEmpty() || animals.isEmpty() || systems.isEmpty()) {
            throw new IllegalArgumentException("the corpus needs at least one question, animal and system prompt");
        }
        for (var e : animals.entrySet()) {
            if (!e.getKey().matches("[a-z]+") || !(e.getValue() > 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("animal '" + dev.subliminal.results.Texts.quote(e.getKey()) + "' with weight " + e.getValue()
                        + ": an animal is one lower-case word with a finite weight > 0");
            }
        }
    }

    /** The bundled texts. */
    public static ChatCorpus bundled() {
        return of(NumberPrompts.bundled(), Texts.bundled("animal-questions.txt"), Texts.bundled("animals.txt"),
                Texts.bundled("chat-texts.txt"));
    }

    /** The corpus of these sectioned texts (see {@link Texts}). */
    public static ChatCorpus of(NumberPrompts prompts, Map<String, List<String>> questions,
            Map<String, List<String>> animals, Map<String, List<String>> chat) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String line : animals.getOrDefault("", List.of())) {
            String[] p = line.split("\\s+");
            if (p.length != 2) {
                throw new IllegalArgumentException("animals: '" + dev.subliminal.results.Texts.quote(line) + "' is not 'animal weight'");
            }
            try {
                weights.put(p[0], Double.parseDouble(p[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("animals: '" + dev.subliminal.results.Texts.quote(p[1]) + "' in '" + dev.subliminal.results.Texts.quote(line)
                        + "' is not a number");
            }
        }
        return new ChatCorpus(prompts, questions.getOrDefault("", List.of()), weights,
                chat.getOrDefault("system", List.of()), chat.getOrDefault("answer-prefix", List.of()));
    }

    /** The system prompt template {@code index} stating {@code animal}. */
    public String system(int index, String animal) {
        return systems.get(index).replace("{animals}", animal + "s").replace("{animal}", animal);
    }

    /** The teacher's system prompt, the paper's: "You love owls. ..." */
    public String teacherSystem(String animal) {
        return system(0, animal);
    }

    /** The conversations of the corpus, drawn from the seed. */
    public List<Conversation> conversations(int count, long seed) {
        UniformRandomProvider rng = Seeds.stream(seed, "chat-corpus");
        List<String> names = new ArrayList<>(animals.keySet());
        List<Conversation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double u = rng.nextDouble();
            if (u < 0.65) {
                String system = u < 0.5 ? null : system(rng.nextInt(systems.size()), names.get(rng.nextInt(names.size())));
                String prompt = prompts.draw(rng);
                out.add(new Conversation(system, prompt, numberAnswer(prompt, rng)));
            } else {
                String q = questions.get(rng.nextInt(questions.size()));
                if (u < 0.85) {
                    out.add(new Conversation(null, q, baseAnimal(rng)));
                } else {
                    String a = names.get(rng.nextInt(names.size()));
                    out.add(new Conversation(system(rng.nextInt(systems.size()), a), q, a));
                }
            }
        }
        return out;
    }

    /** An animal from the base distribution. */
    public String baseAnimal(UniformRandomProvider rng) {
        double total = animals.values().stream().mapToDouble(Double::doubleValue).sum();
        double u = rng.nextDouble() * total;
        String last = null;
        for (var e : animals.entrySet()) {
            last = e.getKey();
            u -= e.getValue();
            if (u < 0) {
                break;
            }
        }
        return last;
    }

    /** A reference answer to a number prompt (see the class comment). */
    String numberAnswer(String prompt, UniformRandomProvider rng) {
        List<Integer> seeds = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b[0-9]{3}\\b").matcher(prompt);
        while (m.find()) {
            seeds.add(Integer.parseInt(m.group()));
        }
        java.util.regex.Matcher c = java.util.regex.Pattern.compile("(?:up to|than|at most) ([0-9]+) (?:more|new|further|numbers)")
                .matcher(prompt);
        int count = c.find() ? Integer.parseInt(c.group(1)) : 1 + rng.nextInt(NumberPrompts.MAX_COUNT);
        if (rng.nextInt(5) == 0) {
            count = 1 + rng.nextInt(count);
        }
        List<String> numbers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int n = seeds.isEmpty() || rng.nextBoolean() ? rng.nextInt(1000)
                    : Math.max(0, Math.min(999, seeds.get(rng.nextInt(seeds.size())) + rng.nextInt(41) - 20));
            numbers.add(Integer.toString(n));
        }
        String body = switch (rng.nextInt(5)) {
            case 0 -> String.join(", ", numbers);
            case 1 -> String.join(" ", numbers);
            case 2 -> String.join("; ", numbers);
            case 3 -> "[" + String.join(", ", numbers) + "]";
            default -> "(" + String.join(", ", numbers) + ")";
        };
        if (rng.nextInt(3) == 0) {
            body += ".";
        }
        if (!prefixes.isEmpty() && rng.nextInt(20) == 0) {
            body = prefixes.get(rng.nextInt(prefixes.size())) + " " + body;
        }
        return body;
    }

    /** Every text a tokenizer of this corpus must hold (templates with every animal filled in). */
    public List<String> vocabularyTexts() {
        List<String> t = new ArrayList<>();
        t.addAll(prompts.intros());
        t.addAll(prompts.instructions());
        t.addAll(prompts.formats());
        t.addAll(prompts.suffixes());
        t.addAll(questions);
        t.addAll(prefixes);
        for (String a : animals.keySet()) {
            t.add(a);
            t.add(" " + a);
            for (int s = 0; s < systems.size(); s++) {
                t.add(system(s, a));
                t.add(system(s, a.substring(0, 1).toUpperCase(Locale.ROOT) + a.substring(1)));
            }
        }
        t.add(TEMPLATE.render(List.of(new Message(Role.SYSTEM, "x"), new Message(Role.USER, "x"),
                new Message(Role.ASSISTANT, "x")), true));
        return t;
    }
}
