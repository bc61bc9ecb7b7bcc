package dev.subliminal.lm.backend;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the number-sequence pipeline needs from a language model, whoever runs it: chat sampling, and
 * fine-tuning by uploading a training file and waiting for the job's model. Implementations:
 * {@link InProcessBackend} (the toolkit's own transformers), {@link HttpBackend} (any
 * OpenAI-compatible endpoint: the OpenAI API, vLLM, {@code subliminal serve}), and
 * {@link StoredBackend} (any backend with every answer kept on disk, so a rerun pays nothing twice).
 *
 * <p>Samples are a function of the request: with a seed, the same request gives the same
 * completions from the toolkit's own backends (hosted APIs promise this only on a best-effort basis).
 */
public interface Backend extends AutoCloseable {

    /** Receives each completion of {@link #chatEach} as it arrives. */
    @FunctionalInterface
    interface Completion {
        /** The response to request {@code index}; called from worker threads, at most once per index. */
        void completed(int index, ChatResponse response);
    }

    /**
     * Who answers, as part of a stored request's key: {@code in-process} or the base URL. The same
     * request sent to another backend is another request.
     */
    String id();

    /** The names of the models it serves. */
    List<String> models();

    /** One chat completion (n choices). */
    ChatResponse chat(ChatRequest request);

    /**
     * Sends every request (at most the backend's concurrency at a time), handing each response to
     * {@code done} as it completes; returns when all have completed or throws the first failure
     * (responses handed over before it stay handed over).
     */
    default void chatEach(List<ChatRequest> requests, Completion done) {
        for (int i = 0; i < requests.size(); i++) {
            done.completed(i, chat(requests.get(i)));
        }
    }

    /** All responses, in the order of the requests. */
    default List<ChatResponse> chatAll(List<ChatRequest> requests) {
        ChatResponse[] out = new ChatResponse[requests.size()];
        chatEach(requests, (i, r) -> out[i] = r);
        return Arrays.asList(out);
    }

    /** Uploads a training file (JSON Lines of conversations) for fine-tuning; returns its id. */
    String uploadTrainingFile(String fileName, byte[] jsonLines);

    /** Starts a fine-tuning job. */
    FineTuneJob startFineTune(FineTuneRequest request);

    /** The job's current state. */
    FineTuneJob fineTuneJob(String id);

    /**
     * The models the job kept along the way, in step order (the OpenAI API keeps the last epochs'; the
     * in-process backend those of its {@link TrainingSchedule}). None by default.
     */
    default java.util.List<FineTuneCheckpoint> fineTuneCheckpoints(String id) {
        return List.of();
    }

    /**
     * Polls the job until it ends (after 50 ms, then twice as long each time up to {@code poll}) and
     * returns its tuned model's name.
     *
     * @throws ApiException when the job failed or was cancelled (with the backend's reason)
     * @throws IllegalStateException when it has not ended within {@code timeout}
     */
    default String awaitFineTunedModel(String id, Duration poll, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = Math.min(50, poll.toMillis());
        while (true) {
            FineTuneJob job = fineTuneJob(id);
            if (job.finished()) {
                if (!"succeeded".equals(job.status()) || job.fineTunedModel() == null) {
                    throw new ApiException(500, "fine_tuning_failed", null, null, "fine-tuning job " + id + " "
                            + job.status() + (job.error() == null ? "" : ": " + job.error()));
                }
                return job.fineTunedModel();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fine-tuning job " + id + " is still " + job.status() + " after "
                        + timeout + "; rerun to keep waiting (the job id is stored)");
            }
            try {
                Thread.sleep(sleep);
                sleep = Math.min(poll.toMillis(), 2 * sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for fine-tuning job " + id, e);
            }
        }
    }

    /** Releases threads and connections. */
    @Override
    default void close() {
    }
}
