package dev.subliminal.experiments.mnist;

import dev.subliminal.theory.text.EnumNames;

/** The optimizer of every training phase. */
public enum OptimizerKind {
    /** {@link FloatOptimizer.Adam} with PyTorch's defaults β = (0.9, 0.999), eps = 1e-8: the paper's. */
    ADAM,
    /** {@link FloatOptimizer.Sgd}. */
    SGD;

    /** A fresh optimizer (zero state) for p parameters. */
    public FloatOptimizer create(int p, double lr, double weightDecay) {
        return this == ADAM ? new FloatOptimizer.Adam(p, lr, weightDecay) : new FloatOptimizer.Sgd(lr, weightDecay);
    }

    /** Parses {@code adam} or {@code sgd}. */
    public static OptimizerKind parse(String s) {
        return EnumNames.parse(OptimizerKind.class, s, "optimizer");
    }

    /** The command-line name. */
    public String cliName() {
        return EnumNames.of(this);
    }
}
