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
 * constants and only the loop's indices occupy integer registers. The 6-row kernels take two terms per
 * pass of their loop and leave an odd last term to a kernel of its own ({@link #unroll}).
 */
public final class MicroKernels {

    /** Register blocks {MR, NV}: 8 × 3 for 32 vector registers, 6 × 2 for 16, and their narrower edges. */
    static final int[][] SHAPES = {{8, 3}, {8, 2}, {8, 1}, {6, 2}, {6, 1}};

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
            String kernel = "m" + shape[0] + "x" + shape[1];
            s.append("            case ").append(shape[0]).append(" * 4 + ").append(shape[1]).append(" -> ");
            if (unroll(shape[0]) == 1) {
                s.append(kernel).append("(kc, ap, aOff, bp, bOff, acc, cOff);\n");
                continue;
            }
            s.append("{\n                ").append(kernel).append("(kc & -2, ap, aOff, bp, bOff, acc, cOff);\n")
                    .append("                if ((kc & 1) != 0) {\n                    ").append(kernel)
                    .append("Term(1, ap, aOff + (kc - 1) * ").append(Integer.highestOneBit(2 * shape[0] - 1))
                    .append(", bp, bOff + (kc - 1) * ").append(shape[1] == 1 ? "L" : "L" + shape[1])
                    .append(", acc, cOff);\n                }\n            }\n");
        }
        s.append("            default -> throw new IllegalStateException(\"no micro-kernel of \" + mr + \" × \" + nv + \" vectors\");\n");
        s.append("        }\n    }\n");
        for (int[] shape : SHAPES) {
            s.append('\n');
            kernel(s, type, vector, shape[0], shape[1], "", unroll(shape[0]));
            if (unroll(shape[0]) > 1) {
                s.append('\n');
                kernel(s, type, vector, shape[0], shape[1], "Term", 1);
            }
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

    /**
     * One kernel of mr rows and nv vectors, named m{mr}x{nv}{suffix}, taking {@code unroll} terms per pass
     * of its loop: with more than one, kc must be a multiple of it (see {@link #unroll}).
     */
    static void kernel(StringBuilder s, String type, String vector, int mr, int nv, String suffix, int unroll) {
        s.append("    /** The ").append(mr).append(" × ").append(nv).append("-vector block: ").append(mr * nv)
                .append(" accumulators, ").append(nv).append(" of B and one broadcast of A")
                .append(unroll > 1 ? "; kc even" : "").append(". */\n");
        s.append("    private static void m").append(mr).append('x').append(nv).append(suffix).append("(int kc, ").append(type)
                .append("[] ap, int aOff, ").append(type).append("[] bp, int bOff, ").append(type)
                .append("[] acc, int cOff) {\n");
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                s.append("        ").append(vector).append(" s").append(r).append(v).append(" = ").append(vector)
                        .append(".fromArray(S, acc, ").append(offset("cOff", r * nv + v)).append(");\n");
            }
        }
        int stride = Integer.highestOneBit(2 * mr - 1);
        String l = "L" + (nv == 1 ? "" : String.valueOf(nv));
        String last = "s" + (mr - 1) + (nv - 1);
        if (unroll > 1) {
            s.append("        for (int p = 0; p < kc; p += ").append(unroll).append(") {\n");
            s.append("            int ai = aOff + p * ").append(stride).append(";\n");
            s.append("            int bi = bOff + p * ").append(l).append(";\n");
            for (int u = 0; u < unroll; u++) {
                terms(s, vector, mr, nv, u * stride, u == 0 ? "" : u == 1 ? l : u + " * " + l, u == 0);
                if (u + 1 < unroll) {
                    s.append("            ").append(last).append(".intoArray(acc, ").append(offset("cOff", mr * nv - 1))
                            .append(");   // orders the next term's loads after this term (see unroll)\n");
                }
            }
            s.append("        }\n");
        }
        if (unroll == 1) {
            s.append("        for (int p = 0; p < kc; p++) {\n");
            s.append("            int ai = aOff + p * ").append(stride).append(";\n");
            s.append("            int bi = bOff + p * ").append(l).append(";\n");
            terms(s, vector, mr, nv, 0, "", true);
            s.append("        }\n");
        }
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                s.append("        s").append(r).append(v).append(".intoArray(acc, ").append(offset("cOff", r * nv + v))
                        .append(");\n");
            }
        }
        s.append("    }\n");
    }

    /**
     * Terms per pass of the main loop of a kernel of mr rows: 2 for the 6-row blocks of 16 registers,
     * whose one term (12 fma, 8 loads) leaves the loop's index arithmetic a large share of its instructions
     * (a third for the 5-row block before them, 10 fma); 1 for the 8-row blocks, whose 24 fma per term
     * hide it. The compiler does not unroll loops this large. Its
     * scheduler moves all loads of an unrolled pass to the top, where the registers of the second term's
     * B and A values spill the sums (0.6× the speed); so after each term but the last the kernel stores its
     * last sum to its place in acc, which the tile's final store overwrites: the next term's loads
     * from the same kind of array may not pass that store, and they stay in order. 1.03× the speed of
     * sgemm and dgemm at 256 bits (2026-12-04, 2048³, one thread, in-JVM alternation); the sums are
     * unchanged, each still one fma per term in order of p. Such a kernel takes an even count of terms and
     * has no loop for a last, odd one: {@code micro} calls a one-term kernel of the same block
     * ({@code m6x2Term}) for it. With that remainder loop in the same method, C2 compiled the 6 × 2 kernel
     * to a third of its speed (stack reloads in the loop) in every JVM whose profile had seen it run
     * (23 against 57 GFLOP/s for doubles, 2026-12-05).
     */
    static int unroll(int mr) {
        return mr == 6 ? 2 : 1;
    }

    /**
     * The multiply-adds of one term: NV vectors of B at bi (+ bShift), one broadcast of A per row at ai
     * (+ aShift); {@code declare} declares the variables b0.., x.
     */
    static void terms(StringBuilder s, String vector, int mr, int nv, int aShift, String bShift, boolean declare) {
        for (int v = 0; v < nv; v++) {
            String at = bShift.isEmpty() ? offset("bi", v) : offset("bi + " + bShift, v);
            s.append("            ").append(declare ? vector + " " : "").append("b").append(v).append(" = ").append(vector)
                    .append(".fromArray(S, bp, ").append(at).append(");\n");
        }
        for (int r = 0; r < mr; r++) {
            int a = aShift + r;
            s.append("            ").append(declare && r == 0 ? vector + " " : "").append("x = ").append(vector)
                    .append(".broadcast(S, ap[ai").append(a == 0 ? "" : " + " + a).append("]);\n");
            for (int v = 0; v < nv; v++) {
                s.append("            s").append(r).append(v).append(" = x.fma(b").append(v).append(", s").append(r)
                        .append(v).append(");\n");
            }
        }
    }

    /** base + k·L, written as the kernels read best. */
    static String offset(String base, int k) {
        return k == 0 ? base : k == 1 ? base + " + L" : base + " + " + k + " * L";
    }
}
