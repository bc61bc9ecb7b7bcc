package dev.subliminal.lm.check;

import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A check of a random tiny transformer (from {@link LmCase#SPACE}) at ε log-uniform in [1e-5, 1e-1],
 * from the same init or a perturbed one, run in float64 and in float32: the observed error of
 * Δ_S·Δ_T and the bound of {@link RoundingBound}.
 *
 * @param name the case, as a constructor call
 * @param exact Δ_S·Δ_T in float64
 * @param rounded Δ_S·Δ_T in float32
 * @param bound the bound
 */
record RoundingCases(String name, double exact, double rounded, RoundingBound bound) {

    /** |rounded − exact| / bound. */
    double ratio() {
        return Math.abs(rounded - exact) / bound.value();
    }

    /**
     * A case whose LayerNorms (GPT-2) have width d ≥ 4: over two entries x̂ = ±1 and the norm's
     * condition number 1/σ is unbounded (see {@link RoundingBound}).
     */
    static RoundingCases draw(UniformRandomProvider rng) {
        LmCase c = LmCase.SPACE.generate(rng);
        while (c.layout() == dev.subliminal.lm.transformer.TransformerConfig.Layout.GPT2 && c.hidden() < 4) {
            c = LmCase.SPACE.generate(rng);
        }
        c = c.withEpsilon(Math.pow(10, -1 - 4 * rng.nextDouble()));
        boolean perturbed = rng.nextBoolean();
        CheckSetup s = c.setup();
        double[] init = s.studentInit();
        if (perturbed) {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(Seeds.stream(c.seed(),
                    "perturbation"));
            init = init.clone();
            for (int i = 0; i < init.length; i++) {
                init[i] += 0.01 * g.sample();
            }
        }
        Transformer m64 = (Transformer) s.teacherModel();
        Transformer m32 = m64.withPrecision(Precision.FLOAT32);
        CheckSetup s64 = new CheckSetup(m64, s.theta0(), s.trait(), s.epsilon(), m64, init, s.alpha(), s.imitation(),
                s.studentInputs());
        CheckSetup s32 = new CheckSetup(m32, s.theta0(), s.trait(), s.epsilon(), m32, init, s.alpha(), s.imitation(),
                s.studentInputs());
        CheckResult r64 = TransmissionCheck.run(s64);
        RoundingBound.Outputs outputs = new RoundingBound.Outputs(s32);
        CheckResult r32 = TransmissionCheck.run(s32, Gemm.serial(), outputs);
        return new RoundingCases(c + (perturbed ? " perturbed 0.01" : " same init"), r64.dot(), r32.dot(),
                RoundingBound.of(s32, r32, outputs));
    }

    /** Prints the largest ratios of {@code count} cases from {@code seed}: the calibration of the constant. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        UniformRandomProvider rng = Seeds.of(seed);
        double max = 0;
        double[] ratios = new double[count];
        for (int i = 0; i < count; i++) {
            RoundingCases r = draw(rng);
            ratios[i] = r.ratio();
            if (r.ratio() > max) {
                max = r.ratio();
                System.out.printf("case %d: ratio %.3g (error %.3g, bound %.3g = grad %.3g + logit %.3g, dot %.3g) %s%n", i,
                        r.ratio(), Math.abs(r.rounded - r.exact), r.bound.value(), r.bound.gradientPart(),
                        r.bound.logitPart(), r.exact, r.name);
            }
        }
        java.util.Arrays.sort(ratios);
        System.out.printf("seed %d, %d cases, C = %s: ratio median %.3g, 90%% %.3g, max %.3g%n", seed, count,
                RoundingBound.C, ratios[count / 2], ratios[count * 9 / 10], ratios[count - 1]);
    }
}
