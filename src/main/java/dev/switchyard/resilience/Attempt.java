package dev.switchyard.resilience;

import dev.switchyard.model.Usage;
import dev.switchyard.provider.UpstreamCall;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.routing.Target;

/** State of one attempt on one target, owned by its {@link RequestRun}. */
final class Attempt {
    final Target target;
    final TargetHealth health;
    final boolean hedge;
    final String dropped;
    final long startNanos = System.nanoTime();
    UpstreamCall call;
    UpstreamResponse response;
    StreamRelay relay;
    TimeoutWheel.Timeout totalTimeout;
    TimeoutWheel.Timeout firstTokenTimeout;
    TimeoutWheel.Timeout idleTimeout;
    boolean committed;
    /** the log entry written at commit, completed when the stream ends; -1 before commit */
    int logIndex = -1;
    long commitNanos;
    long ttftNanos;
    Usage usage;
    /** tokens this attempt took from the target's rate cap; corrected by its usage when it ends */
    long tokenEstimate;
    private boolean healthReported;

    Attempt(Target target, TargetHealth health, boolean hedge, String dropped) {
        this.target = target;
        this.health = health;
        this.hedge = hedge;
        this.dropped = dropped;
    }

    /** HTTP statuses as outcome labels, made once: every answered attempt is labelled with its status. */
    private static final String[] STATUS = new String[600];

    static {
        for (int i = 100; i < STATUS.length; i++) STATUS[i] = Integer.toString(i);
    }

    /** {@code status} in decimal, without building a string for the usual ones. */
    static String status(int status) {
        return status >= 100 && status < STATUS.length ? STATUS[status] : Integer.toString(status);
    }

    /** The outcome as shown in the attempts header; a hedge says so. */
    String label(String outcome) {
        return hedge ? outcome + "(hedge)" : outcome;
    }

    void stopTimers(TimeoutWheel timeouts) {
        timeouts.cancel(totalTimeout);
        timeouts.cancel(firstTokenTimeout);
        timeouts.cancel(idleTimeout);
        totalTimeout = firstTokenTimeout = idleTimeout = null;
    }

    /** Stops everything this attempt holds: timeouts, and the upstream request or response. */
    void abandon(TimeoutWheel timeouts) {
        stopTimers(timeouts);
        if (response != null) response.cancel();
        else if (call != null) call.cancel();
    }

    // Exactly one health report per acquired attempt.

    void healthSuccess(long ttftNanos, long latencyNanos) {
        if (healthReported) return;
        healthReported = true;
        health.onSuccess(ttftNanos, latencyNanos);
        reconcileTokens();
    }

    private void reconcileTokens() {
        if (usage != null) health.reconcileTokens(tokenEstimate, usage.totalTokens());
    }

    void healthFailure() {
        if (healthReported) return;
        healthReported = true;
        health.onFailure();
        reconcileTokens();
    }

    void healthRelease() {
        if (healthReported) return;
        healthReported = true;
        health.release();
        reconcileTokens();
    }
}
