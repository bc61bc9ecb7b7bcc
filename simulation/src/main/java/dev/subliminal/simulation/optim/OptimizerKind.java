package dev.subliminal.simulation.optim;

/** The optimizers, as named in settings, grids and result files. */
public enum OptimizerKind {
    /** Plain SGD: the theorem's optimizer. */
    SGD,
    /** Adam with L2 weight decay added to the gradient (PyTorch's {@code Adam}): the paper's experiments. */
    ADAM,
    /** Adam with decoupled weight decay (PyTorch's {@code AdamW}). */
    ADAMW
}
