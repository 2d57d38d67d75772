package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.ApiError;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.HttpFailures;
import dev.switchyard.provider.UpstreamFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;

/**
 * Anthropic's failures, HTTP and in-stream, in the gateway's terms. The status does most of the work
 * ({@link HttpFailures}); the error body adds what only it says: {@code overloaded_error} (status 529, retryable
 * like a 503), a prompt too long for the model (failover to a larger context only), and billing problems (the
 * gateway's account, not the client's request).
 */
final class AnthropicFailures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AnthropicFailures() {}

    static UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        String type = null;
        String message = null;
        if (body != null && body.length() > 0) {
            try {
                JsonNode err = MAPPER.readTree(body.getBytes()).path("error");
                type = err.path("type").asText(null);
                message = err.path("message").asText(null);
            } catch (IOException notJson) {
                // a proxy's HTML page or a cut body: the status alone decides
            }
        }
        UpstreamFailure f = classify(status, type, message == null ? "HTTP " + status : message, headers);
        // Anthropic's own retry hint overrides the status: x-should-retry: false on a 5xx means "not here".
        if (f.kind() == FailureKind.TRANSIENT && headers != null && "false".equalsIgnoreCase(headers.get("x-should-retry"))) {
            return new UpstreamFailure(FailureKind.FAILOVER, f.status(), f.label(), f.retryAfter(), null, f.message());
        }
        return f;
    }

    /**
     * An {@code error} event inside a 200 stream. It is classified as if the matching HTTP status had come back,
     * and labelled with that status, so an overloaded stream counts as a 529 in the attempts header and in the
     * "all targets unavailable" decision.
     */
    static UpstreamFailure inStream(String type, String message) {
        int status = switch (type == null ? "" : type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        String msg = "in-stream " + (type == null ? "error" : type) + ": " + (message == null ? "no message" : message);
        return classify(status, type, msg, null);
    }

    private static UpstreamFailure classify(int status, String type, String message, MultiMap headers) {
        String label = Integer.toString(status);
        if (status == 529 || "overloaded_error".equals(type)) {
            return new UpstreamFailure(FailureKind.TRANSIENT, status, label, HttpFailures.retryAfter(headers), null, message);
        }
        if (status == 402 || "billing_error".equals(type)) {
            return new UpstreamFailure(FailureKind.FAILOVER, status, label, null, null, message);
        }
        if ((status == 400 || status == 413) && tooLong(message)) {
            ApiError e = new ApiError(400, "invalid_request_error", "context_length_exceeded", "messages", message);
            return new UpstreamFailure(FailureKind.CONTEXT_TOO_LONG, status, label, null, e, message);
        }
        String code = type == null || type.equals("invalid_request_error") ? null : type;
        ApiError client = new ApiError(status, "invalid_request_error", code, null, message);
        return HttpFailures.byStatus(status, headers, client, message);
    }

    private static boolean tooLong(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("prompt is too long") || m.contains("context window") || m.contains("context length")
                || m.contains("input length and `max_tokens` exceed");
    }
}
