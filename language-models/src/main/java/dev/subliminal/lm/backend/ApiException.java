package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request an OpenAI-compatible API refused or could not serve, with the HTTP status and the fields
 * of the API's error body ({@code {"error": {"message", "type", "param", "code"}}}). The message
 * names what to fix; it never holds an API key.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    /** An error with its status, OpenAI error type, the offending parameter (or null) and a code (or null). */
    public ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 invalid_request_error about one parameter. */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /** 404 for a model no one serves. */
    public static ApiException unknownModel(String model) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + dev.subliminal.results.Texts.quote(model) + "' does not exist or you do not have access to it.");
    }

    /** 404 for another missing object (file, job, path). */
    public static ApiException notFound(String param, String message) {
        return new ApiException(404, "invalid_request_error", param, "not_found", message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The OpenAI error type, such as {@code invalid_request_error}. */
    public String type() {
        return type;
    }

    /** The parameter at fault, or null. */
    public String param() {
        return param;
    }

    /** The error code, or null. */
    public String code() {
        return code;
    }

    /** The OpenAI-style error body. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", getMessage());
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        return root;
    }
}
