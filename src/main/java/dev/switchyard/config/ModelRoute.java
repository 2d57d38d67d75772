package dev.switchyard.config;

import java.time.Duration;
import java.util.List;

/**
 * A public model name and how to serve it.
 *
 * @param retries same-target retries before failing over (transient errors only)
 * @param backoff base delay between those retries
 * @param hedge   null when hedging is off; else "p95"-style percentile or a duration string
 */
public record ModelRoute(
        String name,
        Strategy strategy,
        List<TargetRef> targets,
        Timeouts timeouts,
        int retries,
        Duration backoff,
        String hedge) {

    public enum Strategy { PRIORITY, WEIGHTED, LEAST_LATENCY, LOWEST_COST }
}
