package dev.subliminal.experiments.mnist;

import dev.subliminal.spec.Names;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.optim.OptimizerKind;

/**
 * The full configuration of an MNIST auxiliary-logit experiment (defaults: the paper's official
 * script, DESIGN §4).
 *
 * @param runs independent runs; run r uses seed {@code firstSeed + r}
 * @param firstSeed the seed of run 0
 * @param aux m, the number of auxiliary logits (network outputs 10 + m)
 * @param width the width of both hidden layers [256]
 * @param noise the distribution of the students' noise images [uniform on [−1, 1]]
 * @param noiseImages how many fixed noise images the students train on [60,000, as many as the
 *     full MNIST training set]
 * @param optimizer the optimizer of every phase [Adam]
 * @param lr its learning rate [3e-4]
 * @param weightDecay L2 weight decay λ of every phase [0]
 * @param perturbation σ of the Gaussian perturbation θ0 + σ·ξ, ξ ∼ N(0, I), of the same-init
 *     students' start [0]
 * @param epochs student epochs over the noise images [5]
 * @param batch mini-batch size [1024]
 * @param data where the digits come from
 */
public record MnistConfig(int runs, long firstSeed, int aux, int width, NoiseKind noise, int noiseImages,
        OptimizerKind optimizer, double lr, double weightDecay, double perturbation, int epochs, int batch,
        String data) {

    public MnistConfig {
        require(runs >= 1, "--runs " + runs + ": need at least 1 run");
        require(aux >= 1, "--aux " + aux + ": need at least 1 auxiliary logit");
        require(width >= 1, "--width " + width + ": need a width of at least 1");
        require(noiseImages >= 1, "--noise-images " + noiseImages + ": need at least 1 noise image");
        require(lr > 0 && Double.isFinite(lr), "--lr " + lr + ": need a finite learning rate > 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay " + weightDecay + ": need a finite λ ≥ 0");
        require(perturbation >= 0 && Double.isFinite(perturbation), "--perturbation " + perturbation + ": need a finite σ ≥ 0");
        require(epochs >= 1, "--epochs " + epochs + ": need at least 1 epoch");
        require(batch >= 1, "--batch " + batch + ": need a batch of at least 1");
        require(noise != null && optimizer != null && data != null, "noise, optimizer and data must be given");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The optimizer steps of every training phase: epochs·⌈noiseImages / batch⌉, 5·⌈60000/1024⌉ = 295
     * by default (the official script's DataLoader keeps the last, partial batch). The teacher takes
     * the same number of steps on the training digits, in epochs of ⌈N/batch⌉ batches.
     */
    public int steps() {
        return epochs * ((noiseImages + batch - 1) / batch);
    }

    /** The network sizes 784-width-width-(10 + m). */
    public int[] sizes() {
        return new int[] {Idx.PIXELS, width, width, Idx.CLASSES + aux};
    }

    /** The header {@code config} of the results file. */
    public JsonNode json(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("runs", runs);
        o.put("firstSeed", firstSeed);
        o.put("aux", aux);
        o.put("width", width);
        o.put("noise", Names.of(noise));
        o.put("noiseImages", noiseImages);
        o.put("optimizer", Names.of(optimizer));
        o.put("lr", lr);
        o.put("weightDecay", weightDecay);
        o.put("perturbation", perturbation);
        o.put("epochs", epochs);
        o.put("batch", batch);
        o.put("steps", steps());
        o.put("temperature", 1.0);
        o.put("data", data);
        return o;
    }
}
