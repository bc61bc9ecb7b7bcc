package dev.subliminal.simulation.optim;

/**
 * The optimizers in double precision, and (generated from this source, docs/precision-twins.md) in
 * float as {@code FloatOptimizer}: step t clips the gradient when the {@link OptimizerSpec} asks
 * (g ← g·min(1, c/(‖g‖ + 1e-6))) and hands it to the kind's update rule. The clipped gradient is
 * never stored: the rule reads g_i·factor entry by entry (factor 1 without clipping), the same bits
 * as a clipped copy without its θ-sized buffer.
 */
public abstract class DoubleOptimizer implements Optimizer<double[]> {

    /** The settings. */
    protected final OptimizerSpec spec;
    private final int parameters;
    private int t;

    protected DoubleOptimizer(OptimizerSpec spec, int parameters) {
        if (parameters < 1) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter, got " + parameters);
        }
        this.spec = spec;
        this.parameters = parameters;
    }

    /** A fresh optimizer (zero state) of the spec's kind for p parameters. */
    public static DoubleOptimizer of(OptimizerSpec spec, int parameters) {
        return switch (spec.kind()) {
            case SGD -> new DoubleSgd(spec, parameters);
            case ADAM, ADAMW -> new DoubleAdam(spec, parameters);
        };
    }

    @Override
    public final void step(double[] theta, double[] gradient, double[] update) {
        if (theta.length != gradient.length || update != null && update.length != theta.length) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, the gradient " + gradient.length
                    + (update == null ? "" : ", the update " + update.length));
        }
        t++;
        apply(theta, gradient, spec.clipNorm() > 0 ? clipFactor(gradient) : 1, update, t);
    }

    @Override
    public final int steps() {
        return t;
    }

    /**
     * The state a resumed run needs besides θ and the step count, by PyTorch's names (Adam and AdamW:
     * {@code exp_avg} = m and {@code exp_avg_sq} = v; SGD: none): the live buffers, not copies.
     */
    public java.util.Map<String, double[]> buffers() {
        return java.util.Map.of();
    }

    /**
     * Continues a run: the next step is t + 1 and the buffers take the given values (copied; every
     * buffer of {@link #buffers()} must be given, with its length), so that the steps that follow are
     * bit for bit those of the run that saved them.
     */
    public final void restore(int steps, java.util.Map<String, double[]> saved) {
        if (steps < 0) {
            throw new IllegalArgumentException("an optimizer resumes at a step count ≥ 0, got " + steps);
        }
        java.util.Map<String, double[]> own = buffers();
        if (!own.keySet().equals(saved.keySet())) {
            throw new IllegalArgumentException("the optimizer's state holds " + own.keySet() + ", got " + saved.keySet());
        }
        for (var e : own.entrySet()) {
            double[] from = saved.get(e.getKey());
            if (from.length != e.getValue().length) {
                throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' has " + from.length
                        + " entries, expected " + e.getValue().length);
            }
            System.arraycopy(from, 0, e.getValue(), 0, from.length);
        }
        t = steps;
    }

    /** The update rule of step t on the clipped gradient g_i·{@code factor}. */
    protected abstract void apply(double[] theta, double[] gradient, double factor, double[] update, int t);

    /** min(1, c/(‖g‖ + 1e-6)), the factor that clips g. */
    private double clipFactor(double[] gradient) {
        if (gradient.length != parameters) {
            throw new IllegalArgumentException("the optimizer was made for " + parameters + " parameters, got "
                    + gradient.length);
        }
        double sum = 0;
        for (double g : gradient) {
            sum += g * g;
        }
        return (double) spec.clipFactor(Math.sqrt(sum));
    }
}
