package dev.switchyard.provider.gemini;

import dev.switchyard.model.ApiError;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.HttpFailures;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.gemini.GeminiWire.GoogleError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Locale;

/**
 * Classifies Gemini's Google RPC errors. The HTTP status decides most cases (shared with every adapter
 * through {@link HttpFailures}); the body adds what only it says: the {@code RetryInfo} delay of a 429,
 * a prompt over the context window, and 400s that are the gateway's fault rather than the client's
 * (an invalid API key, a region or billing precondition), which fail over instead of reaching the client.
 */
final class GeminiFailures {
    private GeminiFailures() {}

    static UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        return classify(status, headers, GeminiWire.errorBody(body), "");
    }

    /** An error object inside a stream; its {@code code} stands in for the HTTP status. */
    static UpstreamFailure inStream(GoogleError e) {
        int status = e.code() > 0 ? e.code() : statusOf(e.status());
        return classify(status, null, e, "in-stream error: ");
    }

    private static UpstreamFailure classify(int status, MultiMap headers, GoogleError e, String prefix) {
        String rpc = e == null || e.status() == null ? "" : e.status();
        String msg = prefix + (e != null && e.message() != null ? e.message() : "HTTP " + status);
        String label = Integer.toString(status);
        ApiError client = new ApiError(status, "invalid_request_error", rpc.isEmpty() ? null : rpc.toLowerCase(Locale.ROOT), null, msg);
        if (status == 429 || rpc.equals("RESOURCE_EXHAUSTED")) {
            Duration retry = e != null && e.retryDelay() != null ? e.retryDelay() : HttpFailures.retryAfter(headers);
            return new UpstreamFailure(FailureKind.RATE_LIMITED, 429, "429", retry, null, msg);
        }
        if (status == 400 || rpc.equals("INVALID_ARGUMENT") || rpc.equals("FAILED_PRECONDITION")) {
            if (e != null && e.reasons().contains("API_KEY_INVALID") || rpc.equals("FAILED_PRECONDITION")) {
                // the gateway's key, region or billing is wrong for this target: another target may work
                return new UpstreamFailure(FailureKind.FAILOVER, status, label, null, null, msg);
            }
            if (tooLong(msg)) {
                return new UpstreamFailure(FailureKind.CONTEXT_TOO_LONG, status, label, null,
                        new ApiError(400, "invalid_request_error", "context_length_exceeded", "messages", msg), msg);
            }
            return new UpstreamFailure(FailureKind.CLIENT_ERROR, status, label, null, client, msg);
        }
        if (status >= 500 || rpc.equals("UNAVAILABLE") || rpc.equals("INTERNAL") || rpc.equals("DEADLINE_EXCEEDED")) {
            Duration retry = e != null && e.retryDelay() != null ? e.retryDelay() : HttpFailures.retryAfter(headers);
            return new UpstreamFailure(FailureKind.TRANSIENT, status, label, retry, null, msg);
        }
        return HttpFailures.byStatus(status, headers, client, msg);
    }

    private static boolean tooLong(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        return m.contains("exceeds the maximum number of tokens") || m.contains("input token count")
                || m.contains("context window") || m.contains("too many tokens");
    }

    private static int statusOf(String rpc) {
        if (rpc == null) return 500;
        return switch (rpc) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION" -> 400;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }
}
