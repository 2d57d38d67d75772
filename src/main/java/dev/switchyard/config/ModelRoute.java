package dev.switchyard.config;

import java.time.Duration;
import java.util.List;

/**
 * A public model name and how to serve it.
 *
 * @param retries same-target retries before failing over (transient errors only)
 * @param backoff base delay between those retries
 * @param hedge   null when hedging is off; else "p95"-style percentile or a duration string
 * @param failoverOnContentFilter a content-policy refusal moves on to the next target instead of being returned
 * @param deadline overall limit across all attempts, or null for the routing default
 */
public record ModelRoute(
        String name,
        Strategy strategy,
        List<TargetRef> targets,
        Timeouts timeouts,
        int retries,
        Duration backoff,
        String hedge,
        boolean failoverOnContentFilter,
        Duration deadline) {

    public enum Strategy { PRIORITY, WEIGHTED, LEAST_LATENCY, LOWEST_COST }
}
