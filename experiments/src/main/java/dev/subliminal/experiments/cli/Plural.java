package dev.subliminal.experiments.cli;

/** A count with its noun in the right number: {@code 1 thread}, {@code 2 threads}. */
final class Plural {

    private Plural() {
    }

    /** {@code n} and {@code noun}, with an s unless n is 1. */
    static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
