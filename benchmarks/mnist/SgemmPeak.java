import dev.subliminal.theory.linalg.Gemm;

/**
 * The sgemm rate of the toolkit on the experiment's largest product (1024×784 by 784×256, as in the
 * first layer's forward pass), best of 20 after warm-up: the machine's measured matrix-multiply peak
 * for this shape. Run by run.sh as a single-file program with the shaded jar on the class path.
 */
public class SgemmPeak {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        Gemm gemm = Gemm.threads(threads);
        int m = 1024, k = 784, n = 256;
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 17) / 17f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 13) / 13f;
        }
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 60; rep++) {
            long t = System.nanoTime();
            gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
            if (rep >= 40) {
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
        }
        System.out.printf("%.1f%n", 2.0 * m * n * k / best / 1e9);
    }
}
