import dev.subliminal.theory.linalg.Gemm;

/** Prints the vector width and register blocks of the toolkit's kernels in this JVM (for the benchmark scripts). */
public class VectorWidth {
    public static void main(String[] args) {
        System.out.println(Gemm.vectorWidth());
    }
}
