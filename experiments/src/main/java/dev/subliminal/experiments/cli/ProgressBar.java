package dev.subliminal.experiments.cli;

import dev.subliminal.simulation.sweep.SweepRunner;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with the rate and the time left, redrawn at most five times a second, for
 * a terminal only: {@link #forTerminal} gives a silent listener when standard output is not a
 * console or the {@code CI} environment variable is set.
 */
final class ProgressBar implements SweepRunner.Listener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final long start = System.nanoTime();
    private long startDone = -1;
    private long lastDraw;

    private ProgressBar(PrintWriter out) {
        this.out = out;
    }

    /** A bar on {@code out} if running on a terminal outside CI, else a listener that prints nothing. */
    static SweepRunner.Listener forTerminal(PrintWriter out) {
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        return terminal ? new ProgressBar(out) : (done, total) -> { };
    }

    @Override
    public void progress(long done, long total) {
        if (startDone < 0) {
            startDone = done;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        String eta = rate > 0 ? duration((total - done) / rate) : "?";
        out.printf(Locale.ROOT, "\r[%s%s] %d/%d  %.1f/s  %s left ", "#".repeat(filled), " ".repeat(WIDTH - filled),
                done, total, rate, eta);
        if (done == total) {
            out.println();
        }
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
