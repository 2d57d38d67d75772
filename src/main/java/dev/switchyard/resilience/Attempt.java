package dev.switchyard.resilience;

import dev.switchyard.model.Usage;
import dev.switchyard.provider.UpstreamCall;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.routing.Target;
import io.vertx.core.Vertx;

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
    long totalTimer = -1;
    long firstTokenTimer = -1;
    long idleTimer = -1;
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

    /** The outcome as shown in the attempts header; a hedge says so. */
    String label(String outcome) {
        return hedge ? outcome + "(hedge)" : outcome;
    }

    void stopTimers(Vertx vertx) {
        if (totalTimer >= 0) vertx.cancelTimer(totalTimer);
        if (firstTokenTimer >= 0) vertx.cancelTimer(firstTokenTimer);
        if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
        totalTimer = firstTokenTimer = idleTimer = -1;
    }

    /** Stops everything this attempt holds: timers, and the upstream request or response. */
    void abandon(Vertx vertx) {
        stopTimers(vertx);
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
