package dev.subliminal.fuzz;

/**
 * Class initialisation before the first input: a target whose first input loads Jackson's
 * ObjectMapper or a YAML parser under an instrumented campaign on a loaded machine can pass
 * libFuzzer's 10 s per-input timeout on the empty input, which is not a hang of the parser.
 */
final class Warm {

    private Warm() {
    }

    /** Runs {@code work} once, ignoring how it ends. */
    static void up(BadInput.Work work) {
        try {
            work.run();
        } catch (Exception e) {
            // only the classes it loads matter
        }
    }
}
