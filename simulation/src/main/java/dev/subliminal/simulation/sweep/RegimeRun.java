package dev.subliminal.simulation.sweep;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.optim.DoubleOptimizer;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.simulation.train.BatchOrder;
import dev.subliminal.simulation.train.GradientFlow;
import dev.subliminal.simulation.train.TrainingLoop;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.Softmax;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Linearization;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The transmission check under a {@link Regime}: the teacher takes K_T SGD steps of size ε on L_T
 * (θ_T,k = θ_T,k−1 + ε·u_T,k with u_T,k = −∇L_T(θ_T,k−1)); the student takes K_S steps of its
 * optimizer at rate α on the imitation loss against the teacher's outputs (or labels sampled from
 * them), and a control does the same against θ0's outputs (labels sampled with the same uniforms, so
 * student and control differ only where the teacher's step changed a label). Under the gradient flow
 * ({@link Regime.StudentOptimizer#FLOW}) student and control follow dθ/dt = −∇L_S(θ) instead, and their
 * "step k" is the flow at time t = k·α, with update U_k = (θ(kα) − θ_S0)/α.
 *
 * <p>In the theorem's regime this computes exactly the numbers of
 * {@link dev.subliminal.theory.check.TransmissionCheck}, bit for bit.
 */
public final class RegimeRun {

    /** The seed stream of the uniforms behind sampled labels. */
    public static final String LABEL_STREAM = "student-labels";

    private RegimeRun() {
    }

    /** Runs one case under the regime. */
    public static RegimeResult run(CheckCase c, Regime r) {
        CheckSetup s = c.setup();
        Model teacher = s.teacherModel();
        Model student = s.studentModel();
        Batch x = s.studentInputs();
        ImitationLoss loss = s.imitation();
        TraitLoss trait = s.trait();

        double[] thetaT = s.theta0();
        double[] deltaT = null;
        for (int k = 0; k < r.get(Regime.TEACHER_STEPS); k++) {
            double[] u = Vectors.scale(-1, trait.gradient(teacher, thetaT));
            requireFinite(u, "Δ_T = −∇L_T(θ_T) at teacher step " + (k + 1));
            deltaT = deltaT == null ? u : Vectors.axpy(deltaT, 1, u);
            thetaT = Vectors.axpy(thetaT, s.epsilon(), u);
        }
        // The student at θ_S0 and the teacher at θ0 over the student's inputs, one forward pass each (one in
        // all with the same init): the outputs, the first step's VJPs of student and control, and J Δ_T.
        Linearization atInit = student.linearize(s.studentInit(), x);
        Linearization at0 = s.sameInit() ? atInit : teacher.linearize(s.theta0(), x);
        Batch f0 = at0.outputs();
        Batch fT = teacher.forward(thetaT, x);
        Batch targetT = fT;
        Batch target0 = f0;
        if (r.get(Regime.LABELS) == Regime.Labels.SAMPLED) {
            double[] uniforms = new double[x.rows()];
            UniformRandomProvider rng = Seeds.stream(c.seed(), LABEL_STREAM);
            for (int i = 0; i < uniforms.length; i++) {
                uniforms[i] = rng.nextDouble();
            }
            targetT = sampledTargets(fT, uniforms, c.config().imitation());
            target0 = sampledTargets(f0, uniforms, c.config().imitation());
        }

        Recorder recorder = r.get(Regime.RECORD_EVERY) > 0 && s.sameArchitecture()
                ? new Recorder(student, x, loss, trait, deltaT, s.epsilon(), r.get(Regime.RECORD_EVERY),
                        r.get(Regime.STUDENT_STEPS)) : null;
        Trajectory learner = train(student, s.studentInit(), x, loss, targetT, r, s.alpha(), atInit, recorder);
        Trajectory control = train(student, s.studentInit(), x, loss, target0, r, s.alpha(), atInit, null);

        double before = trait.value(student, s.studentInit());
        RegimeResult.Outcome first = outcome(s, student, deltaT, learner.firstUpdate, control.firstUpdate,
                learner.firstTheta, control.firstTheta);
        RegimeResult.Outcome end = r.get(Regime.STUDENT_STEPS) == 1 ? null
                : outcome(s, student, deltaT, learner.totalUpdate, control.totalUpdate, learner.lastTheta,
                        control.lastTheta);

        double nan = Double.NaN;
        double firstOrder = nan;
        double absErr = nan;
        double relErr = nan;
        if (s.sameArchitecture() && r.linearResponse()) {
            Batch jTeacher = at0.jvp(deltaT);
            Batch jStudent = s.sameInit() ? jTeacher : atInit.jvp(deltaT);
            firstOrder = s.epsilon() * loss.bilinear(f0, jStudent, jTeacher);
            absErr = Math.abs(first.traitPart() - firstOrder);
            relErr = firstOrder == 0 ? nan : absErr / Math.abs(firstOrder);
        }
        return new RegimeResult(before, first, firstOrder, absErr, relErr, end, s.kinks(),
                recorder == null ? null : java.util.List.copyOf(recorder.points));
    }

    /**
     * One-hot targets for labels c_x = min{c : Σ_{k≤c} σ(y_x,S / T)_k > u_x} over the imitated logits S.
     * For cross-entropy the target row holds logits 0 at c and −∞ elsewhere, whose softmax at any T is
     * exactly the one-hot vector; for squared error it holds 1 at c and 0 elsewhere.
     */
    static Batch sampledTargets(Batch logits, double[] uniforms, ImitationSpec spec) {
        int n = logits.cols();
        boolean ce = spec.kind() == ImitationSpec.Kind.CE;
        int m = ce && spec.distilled() != 0 ? spec.distilled() : n;
        double temperature = ce ? spec.temperature() : 1;
        double[] p = new double[m];
        double[] out = new double[logits.rows() * n];
        for (int row = 0; row < logits.rows(); row++) {
            Softmax.softmax(logits.data(), row * n + n - m, null, m, temperature, p);
            int label = m - 1;
            double cumulative = 0;
            for (int k = 0; k < m; k++) {
                cumulative += p[k];
                if (uniforms[row] < cumulative) {
                    label = k;
                    break;
                }
            }
            for (int j = 0; j < n; j++) {
                out[row * n + j] = ce ? Double.NEGATIVE_INFINITY : 0;
            }
            out[row * n + n - m + label] = ce ? 0 : 1;
        }
        return new Batch(logits.rows(), n, out);
    }

    /** The parameters and updates of one training run. */
    private record Trajectory(double[] firstUpdate, double[] firstTheta, double[] totalUpdate, double[] lastTheta) {
    }

    /**
     * The student's trajectory: per step k, J_k Δ_T at θ_{k−1} (one Jacobian-vector product over the
     * student's inputs), γ_k and the signal term ε·E_x[(J_k Δ_T)ᵀ M (J_k Δ_T)] at the outputs the step's
     * gradient used, and the contribution u_k·Δ_T; every N steps and at the last, a {@link RegimeResult.Point}.
     */
    private static final class Recorder {
        private final Model model;
        private final Batch x;
        private final ImitationLoss loss;
        private final TraitLoss trait;
        private final double[] deltaT;
        private final double deltaNorm2;
        private final double epsilon;
        private final int every;
        private final int steps;
        private final java.util.List<RegimeResult.Point> points = new java.util.ArrayList<>();
        private double gamma;
        private double signal;
        private double contributions;

        Recorder(Model model, Batch x, ImitationLoss loss, TraitLoss trait, double[] deltaT, double epsilon, int every,
                int steps) {
            this.model = model;
            this.x = x;
            this.loss = loss;
            this.trait = trait;
            this.deltaT = deltaT;
            this.deltaNorm2 = Vectors.dot(deltaT, deltaT);
            this.epsilon = epsilon;
            this.every = every;
            this.steps = steps;
        }

        void begin(double[] theta) {
            points.add(new RegimeResult.Point(0, 0, Double.NaN, Double.NaN, 0, 0, trait.value(model, theta)));
        }

        /** At θ_{k−1}, whose outputs the step's gradient used. */
        void measure(double[] theta, Batch outputs) {
            Batch jd = model.jvp(theta, x, deltaT);
            gamma = gamma(jd);
            signal += epsilon * loss.bilinear(outputs, jd, jd);
        }

        /** γ = (1/N) Σ_x ‖J_x Δ_T‖² / ‖Δ_T‖² from the rows J_x Δ_T (NaN when Δ_T = 0). */
        private double gamma(Batch jd) {
            double squares = 0;
            for (double v : jd.data()) {
                squares += v * v;
            }
            return deltaNorm2 == 0 ? Double.NaN : squares / x.rows() / deltaNorm2;
        }

        /** ε·E_x[(J_x Δ_T)ᵀ M(f_θ(x)) (J_x Δ_T)] at θ: the signal's rate per step (at θ_{k−1} it is step k's term). */
        double signalRate(double[] theta) {
            Batch jd = model.jvp(theta, x, deltaT);
            return epsilon * loss.bilinear(model.forward(theta, x), jd, jd);
        }

        /**
         * The flow at step k (t = kα) with U_k = (θ(t) − θ_S0)/α and the integrated signal S_k; γ at θ(t), and
         * N_k = U_k·Δ_T − S_k, since the flow's contributions integrate to U_k·Δ_T exactly.
         */
        void reached(int step, double[] theta, double[] total, double integratedSignal) {
            double g = gamma(model.jvp(theta, x, deltaT));
            double dot = Vectors.dot(total, deltaT);
            points.add(new RegimeResult.Point(step, dot, Vectors.cosine(total, deltaT), g, integratedSignal,
                    dot - integratedSignal, trait.value(model, theta)));
        }

        /** After step k with its update u_k and the summed updates U_k. */
        void stepped(int step, double[] theta, double[] update, double[] total) {
            contributions += Vectors.dot(update, deltaT);
            if (step % every == 0 || step == steps) {
                points.add(new RegimeResult.Point(step, Vectors.dot(total, deltaT), Vectors.cosine(total, deltaT), gamma,
                        signal, contributions - signal, trait.value(model, theta)));
            }
        }
    }

    /** The student's steps from {@code init}; the first step's outputs and gradient come from {@code atInit}. */
    private static Trajectory train(Model model, double[] init, Batch x, ImitationLoss loss, Batch target, Regime r,
            double alpha, Linearization atInit, Recorder recorder) {
        if (r.get(Regime.OPTIMIZER) == Regime.StudentOptimizer.FLOW) {
            return flow(model, init, x, loss, target, r, alpha, recorder);
        }
        OptimizerSpec spec = OptimizerSpec.of(r.get(Regime.OPTIMIZER).kind(), alpha, r.get(Regime.WEIGHT_DECAY));
        double[] theta = init.clone();
        double[] total = new double[theta.length];
        double[][] first = new double[2][];
        TrainingLoop.Gradient<double[]> gradient = (th, examples, rows, g) -> {
            boolean atStart = first[0] == null; // step 1, at θ = init
            Batch outputs = atStart ? atInit.outputs() : model.forward(th, x);
            Batch u = loss.gradient(outputs, target);
            System.arraycopy(atStart ? atInit.vjp(u) : model.vjp(th, x, u), 0, g, 0, g.length);
            if (recorder != null) {
                recorder.measure(th, outputs);
            }
        };
        if (recorder != null) {
            recorder.begin(theta);
        }
        new TrainingLoop<>(DoubleOptimizer.of(spec, theta.length), gradient, BatchOrder.full(x.rows()))
                .run(theta, r.get(Regime.STUDENT_STEPS), new double[theta.length], new double[theta.length],
                        (step, th, g, u) -> {
                            requireFinite(u, "the student's update at step " + step);
                            for (int i = 0; i < u.length; i++) {
                                total[i] = step == 1 ? u[i] : total[i] + u[i];
                            }
                            if (step == 1) {
                                first[0] = u.clone();
                                first[1] = th.clone();
                            }
                            if (recorder != null) {
                                recorder.stepped(step, th, u, total);
                            }
                        });
        return new Trajectory(first[0], first[1], total, theta);
    }

    /**
     * The gradient flow dθ/dt = −(∇L_S(θ) + λθ) from θ_S0, stopped at t = k·α for step 1, every recorded
     * step and the last: its "update" up to step k is U_k = (θ(kα) − θ_S0)/α, the limit of SGD's Σ_{j≤k} u_j.
     * With a recorder, the signal S_k = (ε/α)∫₀^{kα} E_x[(J_x Δ_T)ᵀ M (J_x Δ_T)](θ(s)) ds is integrated beside
     * θ, and γ is measured at θ(kα).
     */
    private static Trajectory flow(Model model, double[] init, Batch x, ImitationLoss loss, Batch target, Regime r,
            double alpha, Recorder recorder) {
        int steps = r.get(Regime.STUDENT_STEPS);
        int every = r.get(Regime.RECORD_EVERY);
        java.util.TreeSet<Integer> stops = new java.util.TreeSet<>(java.util.List.of(1, steps));
        if (recorder != null) {
            for (int k = every; k < steps; k += every) {
                stops.add(k);
            }
        }
        int[] stepAt = stops.stream().mapToInt(Integer::intValue).toArray();
        double[] times = new double[stepAt.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = stepAt[i] * alpha;
        }
        double decay = r.get(Regime.WEIGHT_DECAY);
        GradientFlow.Gradient gradient = (th, g) -> {
            System.arraycopy(model.vjp(th, x, loss.gradient(model.forward(th, x), target)), 0, g, 0, g.length);
            if (decay != 0) {
                for (int i = 0; i < g.length; i++) {
                    g[i] += decay * th[i];
                }
            }
        };
        GradientFlow.Integrand signal = recorder == null ? null : th -> recorder.signalRate(th) / alpha;
        double[] theta = init.clone();
        double[][] first = new double[2][];
        double[] total = new double[theta.length];
        if (recorder != null) {
            recorder.begin(theta);
        }
        new GradientFlow(new GradientFlow.Tolerances(r.get(Regime.FLOW_ABSOLUTE_TOLERANCE),
                r.get(Regime.FLOW_RELATIVE_TOLERANCE)), FLOW_EVALUATIONS)
                .run(theta, times, gradient, signal, (i, t, th, integral) -> {
                    for (int j = 0; j < th.length; j++) {
                        total[j] = (th[j] - init[j]) / alpha;
                    }
                    requireFinite(total, "the student's flow at t = " + t);
                    if (stepAt[i] == 1) {
                        first[0] = total.clone();
                        first[1] = th.clone();
                    }
                    if (recorder != null && (stepAt[i] % every == 0 || stepAt[i] == steps)) {
                        recorder.reached(stepAt[i], th, total, integral);
                    }
                });
        return new Trajectory(first[0], first[1], total, theta);
    }

    /** The most gradient evaluations one flow may take (a stiff or diverging flow fails instead of hanging). */
    static final int FLOW_EVALUATIONS = 2_000_000;

    private static RegimeResult.Outcome outcome(CheckSetup s, Model student, double[] deltaT, double[] update,
            double[] controlUpdate, double[] theta, double[] controlTheta) {
        double nan = Double.NaN;
        boolean same = s.sameArchitecture();
        return new RegimeResult.Outcome(same ? Vectors.dot(update, deltaT) : nan,
                same ? Vectors.cosine(update, deltaT) : nan,
                same ? Vectors.dot(Vectors.subtract(update, controlUpdate), deltaT) : nan,
                s.trait().value(student, theta), s.trait().value(student, controlTheta));
    }

    private static void requireFinite(double[] v, String what) {
        int i = Vectors.firstNonFinite(v);
        if (i >= 0) {
            throw new ArithmeticException(what + " is not finite at index " + i + " (" + v[i]
                    + "); lower ε or α, or rescale the inputs");
        }
    }
}
