package dev.subliminal.fuzz;

/**
 * The contract every parser and command input keeps on any bytes (README: "Bad input → an
 * exception whose message names the problem"): it returns a result, or throws an
 * {@link IllegalArgumentException} (or a subclass, such as the language models' FormatException)
 * whose message is one non-blank line. Anything else that escapes (another exception type, an
 * {@link OutOfMemoryError}, a {@link StackOverflowError}) propagates and is Jazzer's finding; a hang
 * is caught by the per-input timeout.
 */
final class BadInput {

    /** Work on one input that may refuse it. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private BadInput() {
    }

    /** Runs {@code work}; an IllegalArgumentException passes when its message is one non-blank line. */
    static void allowed(Work work) throws Exception {
        try {
            work.run();
        } catch (IllegalArgumentException e) {
            requireOneLine(e);
        }
    }

    /** Throws an AssertionError (a finding) unless {@code e}'s message is one non-blank line. */
    static void requireOneLine(IllegalArgumentException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            throw new AssertionError("bad input must be refused with a one-line message, got "
                    + (m == null ? "null" : "'" + m + "'"), e);
        }
    }
}
