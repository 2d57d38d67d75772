package dev.switchyard.routing;

import dev.switchyard.config.ModelRoute;
import java.time.Duration;
import java.util.List;

/**
 * How to serve one request: targets in the order to try them and the route's policies.
 *
 * @param publicName the name the client asked for
 * @param hedge      null = no hedging; else a duration ("300ms") or a TTFT percentile ("p95")
 * @param failoverOnContentFilter a content-policy refusal moves on instead of being returned
 * @param deadline   overall limit across all attempts, or null for the routing default
 */
public record RoutePlan(String publicName, List<Target> targets, int retries, Duration backoff, ModelRoute.Strategy strategy,
        String hedge, boolean failoverOnContentFilter, Duration deadline) {

    public RoutePlan(String publicName, List<Target> targets, int retries, Duration backoff, ModelRoute.Strategy strategy) {
        this(publicName, targets, retries, backoff, strategy, null, false, null);
    }
}
