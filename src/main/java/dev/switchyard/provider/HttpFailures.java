package dev.switchyard.provider;

import dev.switchyard.model.ApiError;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP-status half of failure classification, shared by every adapter; an adapter adds what
 * only its error bodies say (context length, content filter, in-band codes).
 */
public final class HttpFailures {
    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");

    private HttpFailures() {}

    /**
     * @param clientError the error to return to the client when the status says the request is at fault
     */
    public static UpstreamFailure byStatus(int status, MultiMap headers, ApiError clientError, String message) {
        String label = Integer.toString(status);
        if (status == 429) {
            return new UpstreamFailure(FailureKind.RATE_LIMITED, status, label, retryAfter(headers), null, message);
        }
        if (status >= 500 || status == 408 || status == 409) {
            return new UpstreamFailure(FailureKind.TRANSIENT, status, label, retryAfter(headers), null, message);
        }
        if (status == 401 || status == 403 || status == 404) {
            // the gateway's credential or model mapping is wrong for this target, not the client's request
            return new UpstreamFailure(FailureKind.FAILOVER, status, label, null, null, message);
        }
        return new UpstreamFailure(FailureKind.CLIENT_ERROR, status, label, null, clientError, message);
    }

    /**
     * The provider's retry hint: {@code retry-after-ms}, {@code retry-after} (seconds or HTTP date),
     * or OpenAI's {@code x-ratelimit-reset-requests}/{@code -tokens} ("1s", "6m0s"); the largest wins.
     */
    public static Duration retryAfter(MultiMap headers) {
        if (headers == null) return null;
        Duration best = null;
        String ms = headers.get("retry-after-ms");
        if (ms != null) best = max(best, parseMillis(ms));
        String ra = headers.get("retry-after");
        if (ra != null) best = max(best, parseRetryAfter(ra));
        String rr = headers.get("x-ratelimit-reset-requests");
        if (rr != null) best = max(best, parseGoDuration(rr));
        String rt = headers.get("x-ratelimit-reset-tokens");
        if (rt != null) best = max(best, parseGoDuration(rt));
        return best;
    }

    private static Duration max(Duration a, Duration b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration parseMillis(String s) {
        try {
            return millis(Double.parseDouble(s.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A negative, NaN or infinite hint is garbage, not a reason to cool a target down for ever (or never). */
    private static Duration millis(double ms) {
        return ms >= 0 && Double.isFinite(ms) ? Duration.ofMillis((long) ms) : null;
    }

    static Duration parseRetryAfter(String s) {
        String t = s.trim();
        try {
            return millis(Double.parseDouble(t) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    static Duration parseGoDuration(String s) {
        Matcher m = GO_DURATION.matcher(s.trim());
        if (!m.matches() || s.isBlank()) return null;
        double ms = 0;
        if (m.group(1) != null) ms += Long.parseLong(m.group(1)) * 3_600_000.0;
        if (m.group(2) != null) ms += Long.parseLong(m.group(2)) * 60_000.0;
        if (m.group(3) != null) ms += Double.parseDouble(m.group(3)) * 1000.0;
        if (m.group(4) != null) ms += Long.parseLong(m.group(4));
        return Duration.ofMillis((long) ms);
    }
}
