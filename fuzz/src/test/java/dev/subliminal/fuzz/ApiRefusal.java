package dev.subliminal.fuzz;

import dev.subliminal.lm.backend.ApiException;

/**
 * The contract of the OpenAI-compatible server on any request body: the body is read, or refused
 * with a 4xx {@link ApiException} (the server sends it as the API's error body
 * {@code {"error": {message, type, param, code}}}) whose message is one non-blank line; an
 * {@link IllegalArgumentException}, which the server answers as a 400, must also have a one-line
 * message. Anything else that escapes would be a 500 with the exception's text: a finding.
 */
final class ApiRefusal {

    private ApiRefusal() {
    }

    /** Runs {@code work}; a 4xx ApiException or an IllegalArgumentException passes when its message is one line. */
    static void allowed(BadInput.Work work) throws Exception {
        try {
            BadInput.allowed(work);
        } catch (ApiException e) {
            if (e.status() < 400 || e.status() > 499) {
                throw new AssertionError("a malformed body must be a 4xx, got " + e.status(), e);
            }
            String m = e.getMessage();
            if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw new AssertionError("a refused body must get a one-line message, got "
                        + (m == null ? "null" : "'" + m + "'"), e);
            }
            if (!e.toJson().path("error").path("type").isTextual()) {
                throw new AssertionError("the error body has no type: " + e.toJson(), e);
            }
        }
    }
}
