package dev.switchyard.routing;

import dev.switchyard.config.ModelRoute;
import java.time.Duration;
import java.util.List;

/**
 * How to serve one request: targets in the order to try them and the route's retry policy.
 *
 * @param publicName the name the client asked for
 */
public record RoutePlan(String publicName, List<Target> targets, int retries, Duration backoff, ModelRoute.Strategy strategy) {}
