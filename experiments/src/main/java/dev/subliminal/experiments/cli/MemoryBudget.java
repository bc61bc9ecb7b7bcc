package dev.subliminal.experiments.cli;

import java.util.Locale;

/** Refuses a run whose estimated memory exceeds the heap, before it starts, naming both. */
final class MemoryBudget {

    private MemoryBudget() {
    }

    /** Throws when {@code bytes} (an estimate for {@code what}) exceed the JVM's maximum heap. */
    static void require(long bytes, String what) {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s of memory but the heap "
                    + "holds %s; choose a smaller configuration or raise the heap (SUBLIMINAL_JAVA_OPTS=-Xmx...)",
                    what, size(bytes), size(heap)));
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", Math.ceil(bytes / (double) (1L << 20)));
    }
}
