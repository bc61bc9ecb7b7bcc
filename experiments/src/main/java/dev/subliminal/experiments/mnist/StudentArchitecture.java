package dev.subliminal.experiments.mnist;

/**
 * The students' architecture. The teacher is always the MLP 784-w-w-(10+m); a student may be the same
 * MLP or a CNN with a compatible head ("Learning Through Noise", arXiv 2605.23645: transfer survives an
 * MLP → CNN switch as long as the output heads are compatible).
 */
public enum StudentArchitecture {
    /** The teacher's MLP 784-w-w-(10+m). */
    MLP,
    /**
     * A CNN on the 28 × 28 image: convolutions ({@link MnistConfig#CNN_CHANNELS}, k × k, stride s), a
     * dense hidden layer of width w, and the head w → 10 + m of the teacher's shape. Its "same init"
     * ({@link StudentArms}' same-init arms) is the head of the teacher's θ0 with fresh convolutions and
     * hidden layer (stream {@code cnn-init}); the cross arms take θ0′'s head on the same fresh layers.
     */
    CNN
}
