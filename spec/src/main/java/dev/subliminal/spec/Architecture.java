package dev.subliminal.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.model.Model;

/**
 * One architecture of a {@link ModelFamily}: the values of the family's settings, validated, and
 * everything the toolkit needs to know about the model they describe without building it.
 * Implementations are immutable records; two architectures are equal when they describe the same
 * model (the check compares a student's architecture with the teacher's this way).
 */
public interface Architecture {

    /** The family this architecture belongs to. */
    ModelFamily family();

    /** The values of the family's settings, in the family's order (the grid and record form). */
    Values values();

    /** d, the input size. */
    int inputs();

    /** n, the output size. */
    int outputs();

    /** p, the number of parameters (a long, so that a too-large model is refused, not overflowed). */
    long parameterCount();

    /**
     * The bytes the one-step check on this architecture needs with the student at θ0 (its forward passes
     * with Jacobian-vector and vector-Jacobian products over {@code rows} inputs and its parameter-sized
     * vectors), roughly: what the command line compares with the heap before it starts.
     */
    long memoryBytes(int rows);

    /** The model. */
    Model build();

    /** The same kind of model with d inputs and n outputs (for shrinking and for other students). */
    Architecture withInputsOutputs(int d, int n);

    /** The record form {@code {"family": name, ...}} that {@link ModelFamily#fromJson} reads back. */
    ObjectNode toJson();

    /**
     * The interval (certifiable) form of the model over parameter boxes; refused with an error that
     * names what is not supported when the family or this architecture has none.
     */
    default IntervalModel intervalForm() {
        throw new IllegalArgumentException("interval certificates do not support " + describe());
    }

    /**
     * The rational form of the model, which the certificate verifier evaluates in exact arithmetic
     * (see {@link RationalModel}); refused with an error that names what is not supported when the
     * family or this architecture has none.
     */
    default RationalModel rationalForm() {
        throw new IllegalArgumentException("the certificate verifier does not support " + describe());
    }

    /** A short description, e.g. {@code mlp 4-8-3 tanh}. */
    default String describe() {
        return build().describe();
    }
}
