package dev.switchyard.resilience;

import dev.switchyard.routing.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The targets one request may still try, in its strategy's order, and the ones it had to pass over
 * (breaker open, cooling down, at capacity, over its rate cap) — those are what "wait when all are down" waits for.
 * Owned by one {@link RequestRun}, so it needs no locks.
 */
final class TargetWalk {
    /** How often to look again for a target that is only at capacity (it has no recovery time to wait for). */
    private static final long CAPACITY_POLL_NANOS = 10_000_000;

    /** A target whose health admitted one attempt; the attempt must report back to {@code health} exactly once. */
    record Acquired(Target target, TargetHealth health) {}

    private final RoutingFacts facts;
    private final AttemptLog log;
    private List<Target> order;
    private int next;
    private final List<Target> passedOver = new ArrayList<>(2);
    /** "target outcome" pairs already in the log, so repeated waits do not repeat skip entries. */
    private final Set<String> loggedSkips = new HashSet<>(4);
    private long minContextWindow;
    /** what one attempt takes from a target's tokens-per-minute cap before its usage is known */
    private final long tokenEstimate;

    TargetWalk(List<Target> order, RoutingFacts facts, AttemptLog log, long tokenEstimate) {
        this.order = order;
        this.facts = facts;
        this.log = log;
        this.tokenEstimate = tokenEstimate;
    }

    /** The target's health, with its provider's RPM/TPM cap applied (a reload may have changed it). */
    static TargetHealth health(RoutingFacts facts, Target t) {
        TargetHealth h = facts.health().of(t.id(), t.provider().config().maxConcurrency());
        h.rateCap(t.provider().config().limits().rpm(), t.provider().config().limits().tpm());
        return h;
    }

    /** Admits one attempt of this request on {@code h}, its token estimate counted against the target's cap. */
    boolean tryAcquire(TargetHealth h) {
        return h.tryAcquire(tokenEstimate);
    }

    TargetHealth health(Target t) {
        return health(facts, t);
    }

    /** The next target that takes an attempt now, logging why others were skipped; null when none is left. */
    Acquired acquireNext() {
        while (next < order.size()) {
            Target t = order.get(next++);
            // only after an overflow: the catalog lookup behind a target's window is not free, and most requests never need it
            long window = minContextWindow > 0 ? facts.contextWindow().applyAsLong(t) : 0;
            if (window > 0 && window <= minContextWindow) {
                logSkip(t, "skipped_context", "context window " + window + " tokens is not larger than the one that overflowed");
                continue;
            }
            TargetHealth h = health(t);
            if (h.tryAcquire(tokenEstimate)) return new Acquired(t, h);
            passOver(t);
            TargetHealth.Snapshot s = h.snapshot();
            long capWait = h.rateCapWaitNanos(tokenEstimate) / 1_000_000;
            String why = s.cooldownRemainingMillis() > 0 ? "cooling_down"
                    : s.state() != TargetHealth.State.CLOSED ? "breaker_open" : capWait > 0 ? "rate_capped" : "at_capacity";
            long forMs = why.equals("cooling_down") ? s.cooldownRemainingMillis() : why.equals("rate_capped") ? capWait : 0;
            logSkip(t, why, why.replace('_', ' ') + (forMs > 0 ? " for " + forMs + "ms" : ""));
        }
        return null;
    }

    /** From now on only targets with a larger context window than {@code tokens} (unknown windows still count). */
    void requireLargerWindowThan(long tokens) {
        minContextWindow = Math.max(minContextWindow, Math.max(1, tokens));
    }

    /** Remembers a target that could not take an attempt now but may recover while the request can still wait. */
    void passOver(Target t) {
        if (!passedOver.contains(t)) passedOver.add(t);
    }

    boolean anyPassedOver() {
        return !passedOver.isEmpty();
    }

    /** Nanoseconds until the soonest passed-over target may take an attempt (at least the capacity poll when it is only full). */
    long soonestRecoveryNanos() {
        long soonest = Long.MAX_VALUE;
        for (Target t : passedOver) {
            long wait = health(t).nanosUntilAvailable(tokenEstimate);
            soonest = Math.min(soonest, wait > 0 ? wait : CAPACITY_POLL_NANOS);
        }
        return soonest;
    }

    /** After a wait: walk the passed-over targets again, in the order they were met. */
    void rewind() {
        order = new ArrayList<>(passedOver);
        passedOver.clear();
        next = 0;
    }

    private void logSkip(Target t, String outcome, String detail) {
        if (loggedSkips.add(t.id() + " " + outcome)) log.add(t.id(), outcome, 0, detail);
    }
}
