package dev.subliminal.linear;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;

/**
 * The affine model f_θ(x) = W x + b with θ = (W, b), named {@code 0.weight} [n, d] and {@code 0.bias}
 * [n] as in PyTorch's {@code nn.Sequential(nn.Linear(d, n))}. Softmax regression is this model with
 * its outputs read as logits, trained with softmax cross-entropy.
 *
 * <p>The Jacobian J_x = [x̃ᵀ ⊗ I_n] (x̃ = (x, 1)) does not depend on θ: this is the degenerate case in
 * which the trait-carrying part stays ε·Δ_Tᵀ G Δ_T ≥ 0 from any initialization (see
 * {@link AffineClosedForm}).
 *
 * @param inputs d
 * @param outputs n
 */
public record AffineModel(int inputs, int outputs) implements Model {

    public AffineModel {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("an affine model needs d ≥ 1 and n ≥ 1, got d = " + inputs
                    + ", n = " + outputs);
        }
    }

    @Override
    public ParameterLayout layout() {
        return ParameterLayout.builder().add("0.weight", outputs, inputs).add("0.bias", outputs).build();
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return outputs;
    }

    @Override
    public int parameterCount() {
        return outputs * (inputs + 1);
    }

    @Override
    public Batch forward(double[] theta, Batch x) {
        requireShapes(theta, x);
        double[] z = new double[x.rows() * outputs];
        DoubleDense.forward(Gemm.defaults(), theta, 0, inputs, outputs, x.data(), x.rows(), z);
        return new Batch(x.rows(), outputs, z);
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        requireCotangents(x, u);
        double[] g = new double[parameterCount()];
        DoubleDense.backward(Gemm.defaults(), theta, 0, inputs, outputs, x.data(), u.data(), x.rows(), g, null);
        return g;
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        layout().requireVector(v, "direction");
        double[] dz = new double[x.rows() * outputs];
        DoubleDense.tangent(Gemm.defaults(), theta, v, 0, inputs, outputs, x.data(), null, x.rows(), dz);
        return new Batch(x.rows(), outputs, dz);
    }

    @Override
    public String describe() {
        return "linear " + inputs + "-" + outputs;
    }

    private void requireCotangents(Batch x, Batch u) {
        if (u.rows() != x.rows() || u.cols() != outputs) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + x.rows() + "×" + outputs);
        }
    }
}
