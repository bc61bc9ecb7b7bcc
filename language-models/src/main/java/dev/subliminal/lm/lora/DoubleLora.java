package dev.subliminal.lm.lora;

/**
 * The arithmetic of LoRA adapters on double arrays (its float twin {@code FloatLora} is generated,
 * docs/precision-twins.md). A target is a weight W of m×n entries stored row-major at {@code w} in θ,
 * with adapters A (r rows) at {@code a} and B at {@code b} in φ, scale s = α/r:
 * <ul>
 *   <li>not transposed (a Linear weight stored [out, in] = [m, n]): A is [r, n], B is [m, r] and
 *       W' = W + s·B·A, i.e. W'_ij = W_ij + s·Σ_k B_ik A_kj;</li>
 *   <li>transposed (GPT-2's Conv1D weight stored [in, out] = [m, n], PEFT's fan_in_fan_out): A is
 *       [r, m], B is [n, r] and W' = W + s·(B·A)ᵀ, i.e. W'_ij = W_ij + s·Σ_k A_ki B_jk.</li>
 * </ul>
 * The pullback of a gradient G = ∂L/∂W' is, by the chain rule, ∂L/∂A = s·Bᵀ G and ∂L/∂B = s·G Aᵀ
 * (not transposed), or ∂L/∂A_ki = s·Σ_j G_ij B_jk and ∂L/∂B_jk = s·Σ_i A_ki G_ij (transposed). Every sum
 * runs in a fixed order (k, then i or j ascending), so results do not depend on anything but the
 * inputs.
 */
final class DoubleLora {

    private DoubleLora() {
    }

    /**
     * Writes W' of one target into {@code out} at {@code w} (the rest of {@code out} untouched).
     *
     * @param base θ
     * @param phi the adapters
     * @param out θ' (may be {@code base})
     */
    static void merge(double[] base, double[] phi, double[] out, int w, int m, int n, int a, int b, int r,
            boolean transposed, double scale) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += transposed ? phi[a + k * m + i] * phi[b + j * r + k] : phi[b + i * r + k] * phi[a + k * n + j];
                }
                out[w + i * n + j] = base[w + i * n + j] + scale * sum;
            }
        }
    }

    /**
     * Writes ∂L/∂A and ∂L/∂B of one target into {@code gradPhi} from G = ∂L/∂W' in {@code gradTheta}.
     */
    static void pullback(double[] gradTheta, double[] phi, double[] gradPhi, int w, int m, int n, int a, int b, int r,
            boolean transposed, double scale) {
        if (!transposed) {
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int i = 0; i < m; i++) {
                        sum += phi[b + i * r + k] * gradTheta[w + i * n + j];
                    }
                    gradPhi[a + k * n + j] = scale * sum;
                }
            }
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < r; k++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        sum += gradTheta[w + i * n + j] * phi[a + k * n + j];
                    }
                    gradPhi[b + i * r + k] = scale * sum;
                }
            }
        } else {
            for (int k = 0; k < r; k++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        sum += gradTheta[w + i * n + j] * phi[b + j * r + k];
                    }
                    gradPhi[a + k * m + i] = scale * sum;
                }
            }
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < r; k++) {
                    double sum = 0;
                    for (int i = 0; i < m; i++) {
                        sum += phi[a + k * m + i] * gradTheta[w + i * n + j];
                    }
                    gradPhi[b + j * r + k] = scale * sum;
                }
            }
        }
    }
}
