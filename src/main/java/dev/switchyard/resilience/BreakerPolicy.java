package dev.switchyard.resilience;

import java.time.Duration;

/**
 * When a target's circuit opens and for how long.
 *
 * @param consecutiveFailures open after this many failures in a row
 * @param errorRate           …or when the failure share of the last {@code window} outcomes reaches this (0..1)
 * @param window              outcomes remembered for the error rate (the rate is judged only once it is full)
 * @param openFor             first open period; doubles on each failed probe up to {@code maxOpenFor}
 */
public record BreakerPolicy(int consecutiveFailures, double errorRate, int window, Duration openFor, Duration maxOpenFor) {
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(5, 0.5, 20, Duration.ofSeconds(15), Duration.ofMinutes(5));
}
