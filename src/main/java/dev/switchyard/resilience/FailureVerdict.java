package dev.switchyard.resilience;

import dev.switchyard.model.ApiError;
import dev.switchyard.routing.RoutePlan;

/**
 * What a client is told when no target answered: the status and message follow from what the attempts said —
 * all timed out → 504, all unavailable (429/503/529, open breakers, cooling, at capacity) → 503 with Retry-After,
 * every tried target refused the prompt itself → that refusal (400), only strict-skipped targets → 400
 * {@code unsupported_parameter} (retrying cannot help), otherwise 502.
 */
final class FailureVerdict {
    /** Attempt outcome of a target passed over under {@code x-switchyard-strict} because it would drop parameters. */
    static final String SKIPPED_STRICT = "skipped_strict";

    private FailureVerdict() {}

    /**
     * @param refusal     the last context-length or content-policy refusal, or null
     * @param refusals    how many attempts ended in such a refusal
     * @param strictParam the first parameter a strict-skipped target would have dropped, or null
     */
    static ApiError allFailed(RoutePlan plan, AttemptLog log, ApiError refusal, int refusals, String strictParam) {
        boolean allTimeouts = true;
        boolean allUnavailable = true;
        int tried = 0;
        int strictSkips = 0;
        for (AttemptLog.Attempt at : log.attempts()) {
            String o = outcome(at);
            if (o.equals(SKIPPED_STRICT)) {
                strictSkips++; // says nothing about the upstreams' health: the status follows the targets that were tried
                continue;
            }
            if (o.equals("skipped_context")) continue;
            tried++;
            allTimeouts &= o.startsWith("timeout");
            allUnavailable &= o.equals("429") || o.equals("503") || o.equals("529") || o.equals("breaker_open")
                    || o.equals("cooling_down") || o.equals("at_capacity") || o.equals("rate_capped");
        }
        if (strictSkips > 0 && tried == 0) {
            return new ApiError(400, "invalid_request_error", "unsupported_parameter", strictParam, "The request has "
                    + "x-switchyard-strict: true, and no target for model '" + plan.publicName() + "' can serve it without "
                    + "dropping parameters: " + log.failureSummary() + ". Remove those parameters, or send the request "
                    + "without x-switchyard-strict to have them dropped (named in x-switchyard-dropped-params).");
        }
        if (refusal != null && refusals == tried && tried > 0) {
            // Every target that was tried refused the prompt itself (too long, or against its policy) and none
            // with a larger window was left: that is the client's to fix, so it gets the refusal, not a 502.
            return refusal;
        }
        int n = plan.targets().size();
        String what = "All " + n + (n == 1 ? " target" : " targets") + " for model '" + plan.publicName() + "' failed: "
                + log.failureSummary() + ".";
        if (allTimeouts && tried > 0) {
            return new ApiError(504, "api_error", "upstream_timeout", null, what + " Try again, or raise the route's timeouts.");
        }
        if (allUnavailable) {
            return new ApiError(503, "api_error", "upstream_unavailable", null, what + " Retry after the time in the Retry-After header.");
        }
        return new ApiError(502, "api_error", "upstream_error", null, what);
    }

    /** The outcome without a hedge's marker: a hedge that timed out still timed out. */
    private static String outcome(AttemptLog.Attempt at) {
        String o = at.outcome();
        return o.endsWith("(hedge)") ? o.substring(0, o.length() - "(hedge)".length()) : o;
    }
}
