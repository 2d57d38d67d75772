package dev.switchyard.resilience;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Health of every target, by {@code provider/model} id. It outlives configuration reloads, so a reload
 * does not reset an open breaker or forget latencies.
 */
public final class HealthRegistry {
    private final ConcurrentHashMap<String, TargetHealth> byTarget = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile BreakerPolicy policy;

    public HealthRegistry(BreakerPolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.clock = nanoClock;
    }

    public static HealthRegistry system() {
        return new HealthRegistry(BreakerPolicy.DEFAULT, System::nanoTime);
    }

    /** @param maxConcurrency applies when the target is first seen; 0 = uncapped */
    public TargetHealth of(String targetId, int maxConcurrency) {
        TargetHealth h = byTarget.get(targetId);
        return h != null ? h : byTarget.computeIfAbsent(targetId, id -> new TargetHealth(id, policy, maxConcurrency, clock));
    }

    public Collection<TargetHealth> all() {
        return byTarget.values();
    }

    public LongSupplier clock() {
        return clock;
    }
}
