// Runs `subliminal sweep GRID --threads 1` N times in one JVM and prints the process CPU time of each run
// (the first run pays class loading and JIT; later ones are the steady state). Usage:
//   java --add-modules jdk.incubator.vector -cp subliminal.jar:CLASSES SweepLoop N LABEL GRID
import java.io.*;
import java.lang.reflect.Method;
public class SweepLoop {
    public static void main(String[] a) throws Exception {
        Class<?> c = Class.forName("dev.subliminal.experiments.cli.Main");
        Method run = c.getDeclaredMethod("run", String[].class, PrintWriter.class, PrintWriter.class);
        run.setAccessible(true);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        PrintWriter nul = new PrintWriter(Writer.nullWriter());
        for (int i = 0; i < Integer.parseInt(a[0]); i++) {
            File out = new File("sweep-loop-" + a[1] + ".jsonl");
            out.delete();
            long c0 = os.getProcessCpuTime(); long w0 = System.nanoTime();
            Object r = run.invoke(null, new Object[]{new String[]{"sweep", a[2], "--threads", "1", "--out", out.getPath()}, nul, nul});
            System.out.printf("%s iter %d cpu %.2f wall %.2f rc %s%n", a[1], i, (os.getProcessCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9, r);
        }
    }
}
