package dev.switchyard.resilience;

import dev.switchyard.model.ApiError;

/**
 * The error a client gets when no target answered. Its status follows what the attempts say: all timed out → 504,
 * all unavailable (429/503/529, open breakers, cooling, at capacity) → 503 with Retry-After, otherwise 502; and when
 * the only targets were passed over under {@code x-switchyard-strict}, a 400, since retrying cannot help.
 */
final class NoAnswer {
    /** Attempt outcome of a target passed over under {@code x-switchyard-strict} because it would drop parameters. */
    static final String SKIPPED_STRICT = "skipped_strict";

    private NoAnswer() {}

    /**
     * @param targets     how many targets the route has
     * @param strictParam the first parameter a strict-skipped target would have dropped, or null
     */
    static ApiError error(AttemptLog log, String publicName, int targets, String strictParam) {
        boolean allTimeouts = true;
        boolean allUnavailable = true;
        int strictSkips = 0;
        int tried = 0;
        for (AttemptLog.Attempt at : log.attempts()) {
            String o = at.outcome();
            if (o.equals(SKIPPED_STRICT)) {
                strictSkips++; // says nothing about the upstreams' health: the status follows the targets that were tried
                continue;
            }
            if (!o.equals("skipped_context")) tried++;
            allTimeouts &= o.startsWith("timeout");
            allUnavailable &= o.equals("429") || o.equals("503") || o.equals("529") || o.equals("breaker_open")
                    || o.equals("cooling_down") || o.equals("at_capacity");
        }
        if (strictSkips > 0 && tried == 0) {
            return new ApiError(400, "invalid_request_error", "unsupported_parameter", strictParam, "The request has "
                    + "x-switchyard-strict: true, and no target for model '" + publicName + "' can serve it without "
                    + "dropping parameters: " + log.failureSummary() + ". Remove those parameters, or send the request "
                    + "without x-switchyard-strict to have them dropped (named in x-switchyard-dropped-params).");
        }
        String what = "All " + targets + (targets == 1 ? " target" : " targets") + " for model '" + publicName + "' failed: "
                + log.failureSummary() + ".";
        if (allTimeouts && !log.isEmpty()) {
            return new ApiError(504, "api_error", "upstream_timeout", null, what + " Try again, or raise the route's timeouts.");
        }
        if (allUnavailable) {
            return new ApiError(503, "api_error", "upstream_unavailable", null, what + " Retry after the time in the Retry-After header.");
        }
        return new ApiError(502, "api_error", "upstream_error", null, what);
    }
}
