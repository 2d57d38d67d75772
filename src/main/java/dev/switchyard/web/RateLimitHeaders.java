package dev.switchyard.web;

import dev.switchyard.auth.RateLimits;
import io.vertx.core.MultiMap;

/** OpenAI's {@code x-ratelimit-*} response headers, for keys that have limits. */
final class RateLimitHeaders {
    private RateLimitHeaders() {}

    static void write(MultiMap h, RateLimits.Status s) {
        if (s.limitRequests() >= 0) {
            h.set("x-ratelimit-limit-requests", Long.toString(s.limitRequests()));
            h.set("x-ratelimit-remaining-requests", Long.toString(s.remainingRequests()));
            h.set("x-ratelimit-reset-requests", duration(s.resetRequestsNanos()));
        }
        if (s.limitTokens() >= 0) {
            h.set("x-ratelimit-limit-tokens", Long.toString(s.limitTokens()));
            h.set("x-ratelimit-remaining-tokens", Long.toString(s.remainingTokens()));
            h.set("x-ratelimit-reset-tokens", duration(s.resetTokensNanos()));
        }
    }

    /** OpenAI's form: {@code 1s}, {@code 6m0s}, {@code 250ms}. */
    static String duration(long nanos) {
        long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
        if (ms < 1000) return ms + "ms";
        long s = (ms + 999) / 1000;
        if (s < 60) return s + "s";
        return (s / 60) + "m" + (s % 60) + "s";
    }
}
