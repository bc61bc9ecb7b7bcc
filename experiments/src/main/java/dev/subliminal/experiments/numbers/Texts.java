package dev.subliminal.experiments.numbers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text files of the experiment: one text per line, blank lines and lines starting with {@code #}
 * ignored, optionally in sections headed {@code [name]}. The toolkit's own files are resources; a
 * configuration may name other files (for example the paper's own prompts) in the same format.
 */
public final class Texts {

    private Texts() {
    }

    /** A bundled file of this package. */
    public static Map<String, List<String>> bundled(String name) {
        try (InputStream in = Texts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled text " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user's file, at most 16 MB. */
    public static Map<String, List<String>> read(Path file) {
        try {
            if (Files.size(file) > 16 << 20) {
                throw new IllegalArgumentException(file + " is larger than 16 MB; a text file of prompts is smaller");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The sections of a text ("" for lines before any header), each a list of its lines. */
    static Map<String, List<String>> parse(String text, String name) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        String section = "";
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                section = l.substring(1, l.length() - 1).strip();
                if (sections.containsKey(section)) {
                    throw new IllegalArgumentException(name + " line " + number + ": section [" + dev.subliminal.results.Texts.quote(section)
                            + "] appears twice");
                }
                sections.put(section, new ArrayList<>());
                continue;
            }
            sections.computeIfAbsent(section, s -> new ArrayList<>()).add(l);
        }
        sections.replaceAll((k, v) -> List.copyOf(v));
        return sections;
    }
}
