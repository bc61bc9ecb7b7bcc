package dev.subliminal.experiments.mnist;

import java.util.List;

/**
 * A student's path, recorded at steps 0, N, 2N, … and at its last step (N = {@code recordEvery}).
 * With d = Δ_T = θ_T − θ0 the teacher's update, θ_t the student after step t, U_t = θ_t − θ_S0 its
 * cumulative update, J_t the Jacobian of the imitated logits on step t's batch at θ_{t−1}, M_t the
 * imitation loss's curvature there and η the learning rate:
 * <ul>
 *   <li>dot U_t·d and cosine cos(U_t, d);</li>
 *   <li>γ_t = (1/B) Σ_x ‖J_x,t d‖² / ‖d‖² ≥ 0, the per-step signal of Liu et al. (arXiv 2609.01091),
 *       one Jacobian-vector product per input, never J;</li>
 *   <li>the accumulated split U_t·d = S_t + N_t: the signal S_t = Σ_{k≤t} η·dᵀJ_kᵀM_kJ_k d (≥ 0: the
 *       drift along d that step k would make under SGD if the student's error were J_k d) and the
 *       residual N_t = Σ_{k≤t} (θ_k − θ_{k−1})·d − S_t (everything else: the optimizer's
 *       preconditioning, the rest of the error, the curvature of f);</li>
 *   <li>test accuracy of the class logits and agreement with the teacher's argmax over the auxiliary
 *       logits on the test digits.</li>
 * </ul>
 *
 * @param points the records, in increasing step
 */
public record Trajectory(List<Point> points) {

    public Trajectory {
        points = List.copyOf(points);
    }

    /**
     * One record (γ_t is NaN at step 0, where no step was taken).
     *
     * @param step t
     * @param dot U_t·d
     * @param cosine cos(U_t, d), NaN at t = 0
     * @param gamma γ_t
     * @param signal S_t
     * @param residual N_t
     * @param classAccuracy test accuracy of the class logits at θ_t
     * @param auxAccuracy agreement with the teacher's auxiliary argmax on the test digits at θ_t
     */
    public record Point(int step, double dot, double cosine, double gamma, double signal, double residual,
            double classAccuracy, double auxAccuracy) {
    }
}
