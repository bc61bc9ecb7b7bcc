package dev.subliminal.simulation.optim;


/** The student's optimizers, as named in grids and result files. */
public enum OptimizerKind {
    /** {@link Sgd}: the theorem's optimizer. */
    SGD,
    /** {@link Adam} with PyTorch's default β1, β2, δ: the paper's experiments. */
    ADAM;

    /** A fresh optimizer of this kind with learning rate η and weight decay λ. */
    public Optimizer create(double rate, double decay) {
        return this == SGD ? new Sgd(rate, decay) : new Adam(rate, decay);
    }
}
