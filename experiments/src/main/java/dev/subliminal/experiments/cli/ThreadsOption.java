package dev.subliminal.experiments.cli;

import picocli.CommandLine.Option;

/** The {@code --threads N} option shared by the commands that run in parallel; results never depend on it. */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all cores). Results do not depend on it.")
    Integer threads;

    /** The thread count: the option's value, else the available processors. */
    int count() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads " + t + ": need at least 1 thread");
        }
        return t;
    }
}
