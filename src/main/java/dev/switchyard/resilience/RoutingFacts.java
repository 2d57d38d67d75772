package dev.switchyard.resilience;

import dev.switchyard.routing.Target;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * What the attempt loop consults beyond the plan: target health and catalog facts.
 *
 * @param contextWindow a target's context window in tokens, 0 when unknown
 * @param pricePerMtok  a target's blended price (for lowest-cost ordering), NaN when unknown
 */
public record RoutingFacts(HealthRegistry health, ToLongFunction<Target> contextWindow, ToDoubleFunction<Target> pricePerMtok) {
    public static RoutingFacts withoutCatalog(HealthRegistry health) {
        return new RoutingFacts(health, t -> 0, t -> Double.NaN);
    }
}
