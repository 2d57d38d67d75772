package dev.switchyard.provider;

import dev.switchyard.model.ApiError;
import java.time.Duration;

/**
 * A classified failure of one attempt.
 *
 * @param kind       what to do next
 * @param status     upstream HTTP status, or 0 when there was no HTTP answer
 * @param label      short outcome for the attempts header: the status, {@code timeout}, {@code connect_error}…
 * @param retryAfter the upstream's retry hint, or null
 * @param clientError for {@link FailureKind#CLIENT_ERROR}: what to hand back to the client
 * @param message    human-readable cause, safe to show (never contains secrets)
 */
public record UpstreamFailure(FailureKind kind, int status, String label, Duration retryAfter,
        ApiError clientError, String message) {

    public static UpstreamFailure transientError(String label, String message) {
        return new UpstreamFailure(FailureKind.TRANSIENT, 0, label, null, null, message);
    }

    public static UpstreamFailure timeout(String phase) {
        return new UpstreamFailure(FailureKind.TRANSIENT, 0, "timeout", null, null, phase + " timeout");
    }
}
