package dev.subliminal.lm.lora;

import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * LoRA adapters on a transformer's projections: the trained parameters φ hold, for every target weight
 * W (see {@link LoraConfig} for which), two matrices A and B, and the model runs on the merged weights
 * θ' = θ + s·ΔW with s = α/r, ΔW = B·A for a Linear weight stored [out, in] (Llama) and ΔW = (B·A)ᵀ for a
 * Conv1D weight stored [in, out] (GPT-2); A is [r, in] and B is [out, r] in both, as PEFT shapes them.
 * The base θ stays frozen: the gradient of a loss L(θ') with respect to φ is the pullback
 * ∂L/∂A = s·Bᵀ·(∂L/∂ΔW), ∂L/∂B = s·(∂L/∂ΔW)·Aᵀ of the full gradient (in ΔW's [out, in] orientation), so
 * any objective with a full-θ gradient trains adapters unchanged. φ's tensors are named
 * {@code X.lora_A.weight} and {@code X.lora_B.weight} for the target module X (e.g.
 * {@code model.layers.0.self_attn.q_proj}), in the order of the base layout.
 */
public final class LoraAdapters {

    private record Target(int w, int m, int n, int a, int b) {
    }

    private final LoraConfig config;
    private final ParameterLayout base;
    private final ParameterLayout layout;
    private final boolean transposed;
    private final List<Target> targets;
    private final List<Integer> inputs;

    /**
     * @param config rank, α and targets
     * @param model the transformer's shape (GPT-2's weights are Conv1D, Llama's Linear)
     * @param base the layout of θ
     */
    public LoraAdapters(LoraConfig config, TransformerConfig model, ParameterLayout base) {
        this.config = config;
        this.base = base;
        this.transposed = model.layout() == TransformerConfig.Layout.GPT2;
        int r = config.rank();
        ParameterLayout.Builder b = ParameterLayout.builder();
        List<TensorSpec> chosen = new ArrayList<>();
        boolean[] used = new boolean[config.targets().size()];
        for (TensorSpec t : base.tensors()) {
            if (t.shape().length != 2 || !t.name().endsWith(".weight") || !inLayer(t.name())) {
                continue;
            }
            String module = t.name().substring(0, t.name().length() - ".weight".length());
            boolean hit = false;
            for (int k = 0; k < used.length; k++) {
                String target = config.targets().get(k);
                if (module.equals(target) || module.endsWith("." + target)) {
                    used[k] = true;
                    hit = true;
                }
            }
            if (hit) {
                chosen.add(t);
                int in = transposed ? t.shape()[0] : t.shape()[1];
                int out = transposed ? t.shape()[1] : t.shape()[0];
                b.add(module + ".lora_A.weight", r, in);
                b.add(module + ".lora_B.weight", out, r);
            }
        }
        for (int k = 0; k < used.length; k++) {
            if (!used[k]) {
                throw new IllegalArgumentException("LoRA target '" + config.targets().get(k)
                        + "' matches no projection of the model; its projections are " + projections(base));
            }
        }
        this.layout = b.build();
        List<Target> ts = new ArrayList<>();
        List<Integer> ins = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            TensorSpec t = chosen.get(i);
            ts.add(new Target(t.offset(), t.shape()[0], t.shape()[1], layout.tensors().get(2 * i).offset(),
                    layout.tensors().get(2 * i + 1).offset()));
            ins.add(layout.tensors().get(2 * i).shape()[1]);
        }
        this.targets = List.copyOf(ts);
        this.inputs = List.copyOf(ins);
    }

    private static boolean inLayer(String name) {
        return name.startsWith("h.") || name.startsWith("model.layers.");
    }

    private static List<String> projections(ParameterLayout base) {
        List<String> out = new ArrayList<>();
        for (TensorSpec t : base.tensors()) {
            if (t.shape().length == 2 && t.name().endsWith(".weight") && inLayer(t.name())) {
                String module = t.name().substring(0, t.name().length() - ".weight".length());
                String local = module.replaceFirst("^(h|model\\.layers)\\.\\d+\\.", "");
                if (!out.contains(local)) {
                    out.add(local);
                }
            }
        }
        return out;
    }

    /** Rank, α and targets. */
    public LoraConfig config() {
        return config;
    }

    /** The layout of θ. */
    public ParameterLayout baseLayout() {
        return base;
    }

    /** The named tensors of φ. */
    public ParameterLayout layout() {
        return layout;
    }

    /** Whether the targets are Conv1D weights stored [in, out] (GPT-2; PEFT's {@code fan_in_fan_out}). */
    public boolean fanInFanOut() {
        return transposed;
    }

    /** The number of target weights. */
    public int targetCount() {
        return targets.size();
    }

    /**
     * φ as PEFT initializes it: A ~ U(−1/√in, 1/√in) (Kaiming-uniform with a = √5), B = 0, so that the
     * merged weights start at θ. Filled in layout order from the seed's "lora-init" stream.
     */
    public double[] initialize(long seed) {
        UniformRandomProvider rng = Seeds.stream(seed, "lora-init");
        double[] phi = new double[layout.size()];
        for (int i = 0; i < targets.size(); i++) {
            TensorSpec a = layout.tensors().get(2 * i);
            double bound = 1 / Math.sqrt(inputs.get(i));
            for (int k = a.offset(); k < a.offset() + a.size(); k++) {
                phi[k] = bound * (2 * rng.nextDouble() - 1);
            }
        }
        return phi;
    }

    /** θ' = θ + s·ΔW on the targets (θ's other entries copied), into a new array. */
    public double[] merge(double[] theta, double[] phi) {
        double[] out = theta.clone();
        merge(theta, phi, out);
        return out;
    }

    /** θ' into {@code out} (which may be θ's array only if θ is not needed afterwards). */
    public void merge(double[] theta, double[] phi, double[] out) {
        check(theta.length, phi.length, out.length);
        if (out != theta) {
            System.arraycopy(theta, 0, out, 0, theta.length);
        }
        for (Target t : targets) {
            DoubleLora.merge(theta, phi, out, t.w, t.m, t.n, t.a, t.b, config.rank(), transposed, config.scale());
        }
    }

    /** The float version of {@link #merge(double[], double[], double[])}. */
    public void merge(float[] theta, float[] phi, float[] out) {
        check(theta.length, phi.length, out.length);
        if (out != theta) {
            System.arraycopy(theta, 0, out, 0, theta.length);
        }
        for (Target t : targets) {
            FloatLora.merge(theta, phi, out, t.w, t.m, t.n, t.a, t.b, config.rank(), transposed,
                    (float) config.scale());
        }
    }

    /** ∂L/∂φ from ∂L/∂θ' (the full gradient at the merged weights) and φ, into a new array. */
    public double[] pullback(double[] gradTheta, double[] phi) {
        double[] out = new double[phi.length];
        check(gradTheta.length, phi.length, gradTheta.length);
        for (Target t : targets) {
            DoubleLora.pullback(gradTheta, phi, out, t.w, t.m, t.n, t.a, t.b, config.rank(), transposed,
                    config.scale());
        }
        return out;
    }

    /** The float version of {@link #pullback(double[], double[])}, into {@code gradPhi}. */
    public void pullback(float[] gradTheta, float[] phi, float[] gradPhi) {
        check(gradTheta.length, phi.length, gradTheta.length);
        if (gradPhi.length != phi.length) {
            throw new IllegalArgumentException("∂L/∂φ has " + gradPhi.length + " entries, φ " + phi.length);
        }
        for (Target t : targets) {
            FloatLora.pullback(gradTheta, phi, gradPhi, t.w, t.m, t.n, t.a, t.b, config.rank(), transposed,
                    (float) config.scale());
        }
    }

    private void check(int theta, int phi, int out) {
        if (theta != base.size() || out != base.size()) {
            throw new IllegalArgumentException("θ has " + theta + " entries, the model " + base.size());
        }
        if (phi != layout.size()) {
            throw new IllegalArgumentException("φ has " + phi + " entries, the adapters " + layout.size());
        }
    }

    @Override
    public String toString() {
        return "LoRA r = " + config.rank() + ", α = " + config.alpha() + " on " + targets.size() + " weights "
                + config.targets();
    }
}
