package dev.subliminal.simulation.train;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;

/**
 * Gradient flow, the limit of SGD as its learning rate η goes to 0: the ODE dθ/dt = −∇L(θ), integrated
 * from θ(0) by Hipparchus' adaptive Dormand–Prince 8(5,3) method with error control, so that the flow at
 * time t = K·η is what K small steps of SGD at rate η approach (θ_K − θ(Kη) = O(η) for a smooth L).
 * Optionally it integrates a running integral I(t) = ∫₀ᵗ r(θ(s)) ds beside θ, as one more component of
 * the state under the same error control.
 *
 * <p>The integrator's local error per step is kept below {@code absolute + relative·|y_i|} in every
 * component y_i (Hipparchus' scalar tolerances); the flow stops at each requested time exactly (it is
 * restarted there, so a stop does not interpolate), and refuses to take more than
 * {@code maxEvaluations} gradient evaluations in all. Everything is sequential: the same inputs give
 * the same bits whatever the thread count of the caller.
 */
public final class GradientFlow {

    /** Computes ∇L(θ) (the caller adds any weight decay λ·θ). */
    public interface Gradient {
        /** Writes ∇L(θ) into {@code gradient}. */
        void compute(double[] theta, double[] gradient);
    }

    /** The integrand r(θ) of the running integral. */
    public interface Integrand {
        /** r(θ). */
        double value(double[] theta);
    }

    /** Sees the flow at each requested time. */
    public interface Listener {
        /**
         * Called at stop {@code index} (0-based) with t, θ(t) and the running integral I(t) (0 without an
         * integrand). The arrays are the flow's own buffers: read them before returning.
         */
        void reached(int index, double time, double[] theta, double integral);
    }

    /**
     * The integrator's error control.
     *
     * @param absolute the absolute tolerance, > 0
     * @param relative the relative tolerance, ≥ 0
     */
    public record Tolerances(double absolute, double relative) {
        public Tolerances {
            if (!(absolute > 0) || !Double.isFinite(absolute)) {
                throw new IllegalArgumentException("the gradient flow's absolute tolerance = " + absolute
                        + " must be finite and > 0");
            }
            if (!(relative >= 0) || !Double.isFinite(relative)) {
                throw new IllegalArgumentException("the gradient flow's relative tolerance = " + relative
                        + " must be finite and ≥ 0");
            }
        }
    }

    private final Tolerances tolerances;
    private final int maxEvaluations;
    private int evaluations;

    /** A flow with this error control and at most {@code maxEvaluations} gradient evaluations per run. */
    public GradientFlow(Tolerances tolerances, int maxEvaluations) {
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("the gradient flow needs at least one evaluation, got " + maxEvaluations);
        }
        this.tolerances = tolerances;
        this.maxEvaluations = maxEvaluations;
    }

    /** The gradient evaluations of the last run. */
    public int evaluations() {
        return evaluations;
    }

    /**
     * Integrates from θ (changed in place to θ(t_last)) through the increasing stop times
     * 0 < t_1 < … < t_last, calling the listener at each.
     *
     * @param integrand r(θ), or null for none
     */
    public void run(double[] theta, double[] times, Gradient gradient, Integrand integrand, Listener listener) {
        int p = theta.length;
        int dimension = integrand == null ? p : p + 1;
        double previous = 0;
        for (double t : times) {
            if (!(t > previous) || !Double.isFinite(t)) {
                throw new IllegalArgumentException("the gradient flow's stop times must increase from 0, got " + t
                        + " after " + previous);
            }
            previous = t;
        }
        double[] th = new double[p];
        double[] g = new double[p];
        evaluations = 0;
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return dimension;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                if (++evaluations > maxEvaluations) {
                    throw new ArithmeticException("the gradient flow took more than " + maxEvaluations
                            + " gradient evaluations before t = " + t + "; loosen its tolerances or shorten its horizon");
                }
                System.arraycopy(y, 0, th, 0, p);
                gradient.compute(th, g);
                double[] dy = new double[dimension];
                for (int i = 0; i < p; i++) {
                    dy[i] = -g[i];
                }
                if (integrand != null) {
                    dy[p] = integrand.value(th);
                }
                for (int i = 0; i < dimension; i++) {
                    if (!Double.isFinite(dy[i])) {
                        throw new ArithmeticException("the gradient flow's derivative is not finite at index " + i
                                + " (" + dy[i] + ") at t = " + t);
                    }
                }
                return dy;
            }
        };
        double[] y = new double[dimension];
        System.arraycopy(theta, 0, y, 0, p);
        double t0 = 0;
        for (int k = 0; k < times.length; k++) {
            DormandPrince853Integrator integrator = new DormandPrince853Integrator(0, times[times.length - 1],
                    tolerances.absolute(), tolerances.relative());
            ODEStateAndDerivative end;
            try {
                end = integrator.integrate(ode, new ODEState(t0, y), times[k]);
            } catch (MathIllegalStateException e) {
                throw new ArithmeticException("the gradient flow failed between t = " + t0 + " and t = " + times[k]
                        + ": " + e.getMessage());
            }
            y = end.getPrimaryState();
            t0 = times[k];
            System.arraycopy(y, 0, theta, 0, p);
            listener.reached(k, t0, theta, integrand == null ? 0 : y[p]);
        }
    }
}
