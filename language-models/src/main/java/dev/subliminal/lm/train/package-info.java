/**
 * Training transformers in float32 on token sequences, on the project's one training loop and
 * optimizer contract, with checkpoints that resume bit for bit.
 *
 * <pre>{@code
 * TransformerConfig c = new TransformerConfig(Layout.GPT2, vocab, context, d, layers, heads, heads, d / heads,
 *         4 * d, 1e-5, 0, true, true);
 * float[] theta0 = ...;                                         // e.g. Transformer.initialize(seed) rounded
 * List<TokenExample> data = List.of(TokenExample.of(ids...),   // every token after the first is a target
 *         TokenExample.completion(prompt, completion));         // or only the completion's tokens
 * SequenceObjective hard = SequenceObjective.nextToken(c, Gemm.threads(2));
 * SequenceObjective soft = SequenceObjective.imitating(c, gemm, teacherTheta, temperature, subsetOrNull);
 * TrainingSettings s = TrainingSettings.adamW(3e-4, 32, seed)   // AdamW, λ = 0.01, clip 1
 *         .withSchedule(100, 10_000, 0.1);                      // warm-up, cosine to step 10,000
 * TransformerTrainer t = TransformerTrainer.start(hard, theta0, data, s);
 * t.train(500, (step, loss) -> ...);
 * t.save(dir);                                                  // dir/step-00000500, atomically
 * t = TransformerTrainer.resume(dir, hard, data);               // continues bit for bit
 * float[] theta = t.theta();  double[] asDouble = t.thetaAsDouble();
 * }</pre>
 *
 * Sampling and log-probabilities of the trained model: {@code new LanguageModel(c).generate(
 * t.thetaAsDouble(), prompt, sampling)} and {@code logProbabilities(...)} (float64).
 */
package dev.subliminal.lm.train;
