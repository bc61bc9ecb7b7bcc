package dev.subliminal.experiments.mnist;

/**
 * What every student of one run shares: the reference θ0, the other init θ0′ the cross students
 * start from, and the teacher θ_T = θ0 after its training on the digits, with Δ_T = θ_T − θ0.
 * Computed once per seed and teacher configuration ({@link MnistConfig#teacherKey()}), however many
 * cells use it. Its arrays are not copied and must not be changed.
 *
 * @param seed the run's seed
 * @param theta0 θ0
 * @param cross0 θ0′
 * @param theta θ_T
 * @param delta Δ_T = θ_T − θ0, in double
 * @param referenceAccuracy θ0's test accuracy
 * @param teacherAccuracy θ_T's test accuracy
 */
public record Teacher(long seed, float[] theta0, float[] cross0, float[] theta, double[] delta,
        double referenceAccuracy, double teacherAccuracy) {
}
