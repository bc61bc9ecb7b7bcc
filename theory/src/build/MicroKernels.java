import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the Vector API micro-kernels of the matrix kernels, {@code DoubleMicro} and {@code FloatMicro}
 * (package dev.subliminal.theory.linalg), for every register block in {@link #SHAPES}: the build runs it
 * in generate-sources ({@code java theory/src/build/MicroKernels.java OUTPUT_DIR}), so each kernel has
 * one source, this program, whatever its precision or shape.
 *
 * <p>A kernel of MR rows and NV vectors keeps the MR × NV·L block of sums in MR·NV vector variables,
 * loads NV vectors of the B panel and broadcasts one element of the A panel per row for each term p,
 * and adds each product with one lane-wise fused multiply-add, in order of p. The block sits in the
 * accumulator array as a contiguous tile (row r, vector v at cOff + (r·NV + v)·L), so its offsets are
 * constants and only the loop's indices occupy integer registers.
 */
public final class MicroKernels {

    /** Register blocks {MR, NV}: 8 × 3 for 32 vector registers, 5 × 2 for 16, and their narrower edges. */
    static final int[][] SHAPES = {{8, 3}, {8, 2}, {8, 1}, {5, 2}, {5, 1}};

    private MicroKernels() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "dev", "subliminal", "theory", "linalg");
        Files.createDirectories(dir);
        for (String type : List.of("double", "float")) {
            String name = Character.toUpperCase(type.charAt(0)) + type.substring(1);
            Path file = dir.resolve(name + "Micro.java");
            String text = source(type, name);
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        }
    }

    static String source(String type, String name) {
        String vector = name + "Vector";
        StringBuilder s = new StringBuilder();
        s.append("// Generated at build time by theory/src/build/MicroKernels.java: do not edit.\n");
        s.append("package dev.subliminal.theory.linalg;\n\n");
        s.append("import jdk.incubator.vector.").append(vector).append(";\n");
        s.append("import jdk.incubator.vector.VectorSpecies;\n\n");
        s.append("/**\n * The Vector API micro-kernels of {@link ").append(name).append("Kernel}: an MR × NV-vector block of sums\n")
                .append(" * held in vector registers across a block of terms, one lane-wise fused multiply-add per term in\n")
                .append(" * order of p, for the register blocks of {@link Blocking}. Loaded only when the JVM has the incubator module.\n */\n");
        s.append("final class ").append(name).append("Micro {\n\n");
        s.append("    private static final VectorSpecies<").append(name).append("> S = ").append(vector)
                .append(".SPECIES_PREFERRED;\n");
        s.append("    /** Lanes of a vector. */\n    static final int L = S.length();\n");
        s.append("    /**\n     * Elements of B per term of a panel of two and three vectors: one constant each, so that the index\n")
                .append("     * p·L2 is a single shift of the loop counter, whose range checks the compiler removes (it leaves\n")
                .append("     * those of (p·2)·L, two shifts).\n     */\n");
        s.append("    private static final int L2 = 2 * L;\n    private static final int L3 = 3 * L;\n\n");
        s.append("    private ").append(name).append("Micro() {\n    }\n\n");
        s.append("    /**\n     * acc[mr × nv·L tile at cOff, rows one after the other] += Σ_p ap-panel(p) ⊗ bp-panel(p), one fma\n")
                .append("     * per term in order of p; the A panel holds mr values per p at a stride of mr rounded up to a power\n")
                .append("     * of two (Blocking.aStride), the B panel nv·L.\n     */\n");
        s.append("    static void micro(int mr, int nv, int kc, ").append(type).append("[] ap, int aOff, ").append(type)
                .append("[] bp, int bOff, ").append(type).append("[] acc, int cOff) {\n");
        s.append("        switch (mr * 4 + nv) {\n");
        for (int[] shape : SHAPES) {
            s.append("            case ").append(shape[0]).append(" * 4 + ").append(shape[1]).append(" -> m").append(shape[0])
                    .append('x').append(shape[1]).append("(kc, ap, aOff, bp, bOff, acc, cOff);\n");
        }
        s.append("            default -> throw new IllegalStateException(\"no micro-kernel of \" + mr + \" × \" + nv + \" vectors\");\n");
        s.append("        }\n    }\n");
        for (int[] shape : SHAPES) {
            s.append('\n');
            kernel(s, type, vector, shape[0], shape[1]);
        }
        s.append('\n');
        copyOut(s, type, vector);
        s.append("}\n");
        return s.toString();
    }

    /**
     * The copy of a panel of sums to C, c = α·s + β·c (α·s, C unread, when β = 0): lane-wise products and
     * sum, each rounded as the plain loop rounds them, so the same bits; a short row's tail in plain code.
     */
    static void copyOut(StringBuilder s, String type, String vector) {
        s.append("""
                    /**
                     * c[at + r·ldc + j] = α·acc[from + r·w + j] + β·c[at + r·ldc + j] for r < rows, j < end (α·acc alone
                     * when β = 0, C unread): lane by lane the same two products and one sum as plain code, the same bits.
                     */
                    static void copyOut(int rows, int w, int end, TYPE[] acc, int from, TYPE alpha, TYPE beta, TYPE[] c, int at, int ldc) {
                        int whole = end & -L;
                        VECTOR va = VECTOR.broadcast(S, alpha);
                        VECTOR vb = VECTOR.broadcast(S, beta);
                        for (int r = 0; r < rows; r++) {
                            int x = from + r * w;
                            int y = at + r * ldc;
                            int j = 0;
                            if (beta == 0) {
                                for (; j < whole; j += L) {
                                    VECTOR.fromArray(S, acc, x + j).mul(va).intoArray(c, y + j);
                                }
                                for (; j < end; j++) {
                                    c[y + j] = alpha * acc[x + j];
                                }
                            } else {
                                for (; j < whole; j += L) {
                                    VECTOR.fromArray(S, acc, x + j).mul(va).add(VECTOR.fromArray(S, c, y + j).mul(vb)).intoArray(c, y + j);
                                }
                                for (; j < end; j++) {
                                    c[y + j] = alpha * acc[x + j] + beta * c[y + j];
                                }
                            }
                        }
                    }
                """.replace("TYPE", type).replace("VECTOR", vector));
    }

    /** One kernel of mr rows and nv vectors. */
    static void kernel(StringBuilder s, String type, String vector, int mr, int nv) {
        s.append("    /** The ").append(mr).append(" × ").append(nv).append("-vector block: ").append(mr * nv)
                .append(" accumulators, ").append(nv).append(" of B and one broadcast of A. */\n");
        s.append("    private static void m").append(mr).append('x').append(nv).append("(int kc, ").append(type)
                .append("[] ap, int aOff, ").append(type).append("[] bp, int bOff, ").append(type)
                .append("[] acc, int cOff) {\n");
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                s.append("        ").append(vector).append(" s").append(r).append(v).append(" = ").append(vector)
                        .append(".fromArray(S, acc, ").append(offset("cOff", r * nv + v)).append(");\n");
            }
        }
        s.append("        for (int p = 0; p < kc; p++) {\n");
        s.append("            int ai = aOff + p * ").append(Integer.highestOneBit(2 * mr - 1)).append(";\n");
        s.append("            int bi = bOff + p * L").append(nv == 1 ? "" : String.valueOf(nv)).append(";\n");
        for (int v = 0; v < nv; v++) {
            s.append("            ").append(vector).append(" b").append(v).append(" = ").append(vector)
                    .append(".fromArray(S, bp, ").append(offset("bi", v)).append(");\n");
        }
        for (int r = 0; r < mr; r++) {
            s.append("            ").append(r == 0 ? vector + " " : "").append("x = ").append(vector)
                    .append(".broadcast(S, ap[ai").append(r == 0 ? "" : " + " + r).append("]);\n");
            for (int v = 0; v < nv; v++) {
                s.append("            s").append(r).append(v).append(" = x.fma(b").append(v).append(", s").append(r)
                        .append(v).append(");\n");
            }
        }
        s.append("        }\n");
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                s.append("        s").append(r).append(v).append(".intoArray(acc, ").append(offset("cOff", r * nv + v))
                        .append(");\n");
            }
        }
        s.append("    }\n");
    }

    /** base + k·L, written as the kernels read best. */
    static String offset(String base, int k) {
        return k == 0 ? base : k == 1 ? base + " + L" : base + " + " + k + " * L";
    }
}
