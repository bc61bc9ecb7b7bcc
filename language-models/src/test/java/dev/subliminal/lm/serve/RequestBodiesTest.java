package dev.subliminal.lm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.subliminal.lm.backend.ApiException;
import dev.subliminal.lm.backend.InProcessBackend;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The server's request bodies refused as the API refuses them: a 400 with a one-line message, never
 * an exception the handler turns into a 500 or a connection closed without an answer. Each case is
 * a finding of OpenAiBodyFuzzTest (docs/fuzzing.md).
 */
class RequestBodiesTest {

    private static ApiException refused(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) t;
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return e;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A zero byte after '{' makes the JSON parser read UTF-32, whose errors are I/O errors, not JSON ones. */
    @Test
    void aBodyTakenForUtf32IsA400() {
        assertThat(refused(() -> OpenAiServer.jsonBody(new byte[] {'{', 0, 0, 0, '"'})).getMessage())
                .contains("not UTF-8 text");
        assertThat(refused(() -> OpenAiServer.jsonBody(new byte[] {0, 0, 0, '{', 0})).getMessage())
                .contains("not UTF-8 text");
    }

    /** The blank line right after the boundary line: a part without headers. */
    @Test
    void aPartWithoutHeadersIsRefusedNotAnIndexError() {
        String type = "multipart/form-data; boundary=B";
        assertThat(refused(() -> OpenAiServer.upload(type, bytes("--B\r\n\r\nfine-tune\r\n--B--\r\n"))).getMessage())
                .contains("no Content-Disposition");
    }

    @Test
    void valuesAreEchoedOnOneLine() {
        assertThat(refused(() -> OpenAiServer.upload("text/plain\rX: y", bytes("x"))).getMessage())
                .contains("text/plain\\rX: y");
        assertThat(refused(() -> InProcessBackend.trainingConversations(bytes("{\"messages\": [,]}\n"), "a.jsonl"))
                .getMessage()).startsWith("a.jsonl line 1 is not JSON: Unexpected character");
        assertThat(refused(() -> InProcessBackend.trainingConversations(bytes("\n"), "a\rb.jsonl")).getMessage())
                .isEqualTo("a\\rb.jsonl holds no training conversation");
        assertThat(refused(() -> OpenAiServer.jsonBody(bytes("{\"model\": \"tiny\", "))).getMessage())
                .startsWith("We could not parse the JSON body of your request: ");
    }
}
