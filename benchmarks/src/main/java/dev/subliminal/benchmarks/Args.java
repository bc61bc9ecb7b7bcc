package dev.subliminal.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The key=value arguments, medians and peak memory of the transformer benchmarks' main methods. */
final class Args {

    private Args() {
    }

    /** The integer value of {@code key=...} among the arguments, or the default. */
    static int intArg(String[] args, String key, int dflt) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return Integer.parseInt(a.substring(key.length() + 1));
            }
        }
        return dflt;
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** CPU seconds of this process so far, all threads (user + system). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** The process's peak resident memory (VmHWM of /proc/self/status). */
    static String peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                return line.substring(6).strip();
            }
        }
        return "unknown";
    }
}
