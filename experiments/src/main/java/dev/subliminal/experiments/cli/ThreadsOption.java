package dev.subliminal.experiments.cli;

import picocli.CommandLine.Option;

/** The {@code --threads N} option shared by the commands that run in parallel; results never depend on it. */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all cores). Results do not depend on it.")
    Integer threads;

    /** The most threads a command starts. */
    static final int MAX = 1024;

    /** The thread count: the option's value, else the available processors. */
    int count() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || t > MAX) {
            throw new IllegalArgumentException("--threads " + t + ": give 1 to " + MAX + " threads");
        }
        return t;
    }
}
