package dev.subliminal.experiments.numbers;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of a run: work is counted in weighted units (one unit ≈ one example through a forward
 * and backward pass), the plan's total is known when the run starts, and a line with the share done,
 * the current stage, the elapsed time and the time left (elapsed × remaining / done) is printed at most
 * every {@code interval} seconds.
 */
public final class Progress {

    private final PrintStream out;
    private final double intervalSeconds;
    private final long start = System.nanoTime();
    private double total;
    private double done;
    private long lastPrint;
    private double measuredDone;
    private long measuredNanos;
    private long unitStart;
    private java.util.function.Consumer<String> listener = stage -> { };

    /** Prints to {@code out} (null: nowhere) at most every {@code intervalSeconds}. */
    public Progress(PrintStream out, double intervalSeconds) {
        this.out = out;
        this.intervalSeconds = intervalSeconds;
    }

    /** Silent progress. */
    public static Progress silent() {
        return new Progress(null, 0);
    }

    /** This progress, also telling {@code listener} the stage of every advance (e.g. to stop a run in a test). */
    public Progress listening(java.util.function.Consumer<String> listener) {
        this.listener = listener;
        return this;
    }

    /** Adds planned work. */
    public synchronized void plan(double units) {
        total += units;
    }

    /** Marks the start of measured work (work found done in the cache is not timed). */
    public synchronized void begin() {
        unitStart = System.nanoTime();
    }

    /** Records {@code units} of planned work as done, in {@code stage}. */
    public synchronized void advance(double units, String stage) {
        listener.accept(stage);
        done += units;
        long now = System.nanoTime();
        if (unitStart != 0) {
            measuredNanos += now - unitStart;
            measuredDone += units;
            unitStart = now;
        }
        if (out != null && (now - lastPrint) / 1e9 >= intervalSeconds) {
            lastPrint = now;
            out.println(line(stage));
        }
    }

    /** Prints one line now (what a stage sent or started), whatever the interval. */
    public synchronized void note(String line) {
        listener.accept(line);
        if (out != null) {
            out.println(line);
        }
    }

    /** Skips planned work that was found done. */
    public synchronized void skip(double units) {
        done += units;
    }

    /** The status line. */
    synchronized String line(String stage) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = measuredDone > 0 ? measuredNanos / 1e9 / measuredDone * Math.max(0, total - done) : Double.NaN;
        return String.format(Locale.ROOT, "numbers %3.0f%%  %s  elapsed %s%s", total > 0 ? 100 * done / total : 100,
                stage, duration(elapsed), Double.isNaN(left) ? "" : ", about " + duration(left) + " left");
    }

    /** {@code 3m05s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
