package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.backend.Canonical;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.serve.OpenAiServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request bodies of the OpenAI-compatible server ({@code subliminal serve}, docs/llm.md)
 * through the functions its handler reads them with: {@code POST /v1/chat/completions},
 * {@code POST /v1/files} (multipart, and a {@code fine-tune} file's conversations) and
 * {@code POST /v1/fine_tuning/jobs}. A body is read, or refused with a 4xx whose message is one
 * line ({@link ApiRefusal}); a request read must come back equal from the body it writes.
 */
class OpenAiBodyFuzzTest {

    /** The server's own body limit is 1 MiB (tested by ServeRoundTripTest); larger inputs are skipped. */
    private static final int MAX_INPUT = 1 << 16;

    static {
        Warm.up(() -> FineTuneRequest.fromJson(OpenAiServer.jsonBody("{}".getBytes(StandardCharsets.UTF_8))));
        Warm.up(() -> ChatRequest.fromJson(OpenAiServer.jsonBody("{}".getBytes(StandardCharsets.UTF_8))));
        Warm.up(() -> OpenAiServer.upload("multipart/form-data; boundary=b", new byte[0]));
        Warm.up(() -> InProcessBackend.trainingConversations("{}".getBytes(StandardCharsets.UTF_8), "f"));
    }

    @FuzzTest(maxDuration = "10m")
    void chatCompletions(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        ApiRefusal.allowed(() -> {
            JsonNode body = OpenAiServer.jsonBody(data);
            ChatRequest request = ChatRequest.fromJson(body);
            if (body.path("stream").asBoolean(false)) {
                Canonical.json(body); // the stream's id is a digest of the body's canonical text
            }
            ChatRequest again = ChatRequest.fromJson(request.toJson());
            if (!again.equals(request)) {
                throw new AssertionError(request + " written and read back is " + again);
            }
        });
    }

    /** The input's first line is the Content-Type header, the rest the body. */
    @FuzzTest(maxDuration = "10m")
    void files(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        int eol = 0;
        while (eol < data.length && data[eol] != '\n') {
            eol++;
        }
        String contentType = new String(data, 0, eol, StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(data, Math.min(eol + 1, data.length), data.length);
        ApiRefusal.allowed(() -> {
            OpenAiServer.Upload upload = OpenAiServer.upload(contentType, body);
            if ("fine-tune".equals(upload.purpose())) {
                InProcessBackend.trainingConversations(upload.content(), upload.fileName());
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void fineTuningJobs(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        ApiRefusal.allowed(() -> {
            FineTuneRequest request = FineTuneRequest.fromJson(OpenAiServer.jsonBody(data));
            FineTuneRequest again = FineTuneRequest.fromJson(request.toJson());
            if (!again.equals(request)) {
                throw new AssertionError(request + " written and read back is " + again);
            }
        });
    }
}
