package dev.subliminal.lm.io;

import java.nio.file.Path;

/**
 * A file of one of the language-model formats (safetensors, {@code config.json},
 * {@code model.safetensors.index.json}, {@code tokenizer.json}, tiktoken ranks) is malformed or does
 * not fit what the caller asked for. The message is one line that names the file, the tensor or
 * entry when there is one, and the problem; the command line prints it and exits with status 2.
 *
 * <p>It is an {@link IllegalArgumentException} so that every caller that already turns bad input
 * into a one-line error handles it without knowing the formats.
 */
public final class FormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String entry;

    /** An error about a whole file (or a byte source named {@code file}). */
    public FormatException(String file, String problem) {
        this(file, null, problem, null);
    }

    /** An error about one tensor or entry of a file. */
    public FormatException(String file, String entry, String problem) {
        this(file, entry, problem, null);
    }

    /** An error with its cause (an I/O or JSON error), which is kept for {@code --verbose}. */
    public FormatException(String file, String entry, String problem, Throwable cause) {
        super(message(file, entry, problem), cause);
        this.file = file;
        this.entry = entry;
    }

    /** The file's name as given by the caller. */
    public static String name(Path file) {
        return String.valueOf(file);
    }

    /** The file the error is about. */
    public String file() {
        return file;
    }

    /** The tensor or entry the error is about, or {@code null} for the whole file. */
    public String entry() {
        return entry;
    }

    private static String message(String file, String entry, String problem) {
        String line = file + ": " + (entry == null ? "" : "'" + entry + "': ") + problem;
        // one line, whatever the problem text holds (a JSON parser's message may span lines)
        return line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
