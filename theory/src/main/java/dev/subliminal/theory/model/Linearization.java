package dev.subliminal.theory.model;

/**
 * A model taken at one θ over one batch x: the outputs f_θ(x) and the products with the Jacobian
 * J_x = ∂f_θ(x)/∂θ there, the VJP Σ_x J_xᵀ u_x and the JVP J_x v. Each equals, bit for bit, what
 * {@link Model#forward}, {@link Model#vjp} and {@link Model#jvp} return at that θ and x, but a model
 * may share the work they have in common (a network runs its forward pass once for all of them).
 *
 * <p>θ and x must not change while a linearization is used; it belongs to one thread at a time.
 */
public interface Linearization {

    /** f_θ(x), rows × n. */
    Batch outputs();

    /** Σ_x J_xᵀ u_x ∈ R^p for cotangents u (rows × n), a new array the caller owns. */
    double[] vjp(Batch cotangents);

    /** J_x v for every row x: rows × n. */
    Batch jvp(double[] direction);

    /** The linearization that calls the model for each product (what {@link Model#linearize} does by default). */
    static Linearization of(Model model, double[] theta, Batch inputs) {
        return new Calls(model, theta, inputs, model.forward(theta, inputs));
    }

    /** Each product a call of the model; the outputs computed once. */
    record Calls(Model model, double[] theta, Batch inputs, Batch outputs) implements Linearization {

        @Override
        public double[] vjp(Batch cotangents) {
            return model.vjp(theta, inputs, cotangents);
        }

        @Override
        public Batch jvp(double[] direction) {
            return model.jvp(theta, inputs, direction);
        }
    }
}
