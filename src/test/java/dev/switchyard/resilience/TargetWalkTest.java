package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import dev.switchyard.routing.ProviderRuntime;
import dev.switchyard.routing.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TargetWalkTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final HealthRegistry registry = new HealthRegistry(
            new BreakerPolicy(1, 0.5, 10, Duration.ofSeconds(15), Duration.ofMinutes(1)), now::get);
    private final AttemptLog log = new AttemptLog();

    private static Target target(String provider, int maxConcurrency) {
        ProviderConfig pc = new ProviderConfig(provider, "openai", null, null, Timeouts.NONE, Map.of(), Map.of(), null, 10,
                maxConcurrency, null);
        return new Target(provider + "/m", new ProviderRuntime(pc, null, null, Timeouts.DEFAULTS), "m", 1, Timeouts.DEFAULTS);
    }

    private TargetWalk walk(Map<String, Long> windows, Target... order) {
        RoutingFacts facts = new RoutingFacts(registry, t -> windows.getOrDefault(t.id(), 0L), t -> Double.NaN);
        return new TargetWalk(List.of(order), facts, log, 1);
    }

    private List<String> logged() {
        return log.attempts().stream().map(a -> a.target() + ":" + a.outcome()).toList();
    }

    @Test
    void skipsOpenCoolingAndFullTargetsNamingWhyAndRemembersThemForWaiting() {
        Target open = target("open", 0);
        Target cooling = target("cool", 0);
        Target full = target("full", 1);
        Target fine = target("fine", 0);
        TargetWalk w = walk(Map.of(), open, cooling, full, fine);
        TargetHealth h = w.health(open);
        h.tryAcquire();
        h.onFailure(); // opens: one failure is enough under this policy
        w.health(cooling).coolDown(Duration.ofMillis(2500), Duration.ofSeconds(1));
        assertThat(w.health(full).tryAcquire()).isTrue();

        TargetWalk.Acquired got = w.acquireNext();

        assertThat(got.target()).isEqualTo(fine);
        assertThat(logged()).containsExactly("open/m:breaker_open", "cool/m:cooling_down", "full/m:at_capacity");
        assertThat(log.attempts().get(1).detail()).isEqualTo("cooling down for 2500ms");
        assertThat(w.acquireNext()).isNull();
        assertThat(w.anyPassedOver()).isTrue();
        // the full one has no recovery time: it is looked at again after a short poll, the soonest of the three
        assertThat(w.soonestRecoveryNanos()).isEqualTo(10_000_000L);
    }

    @Test
    void soonestRecoveryIsTheNearestCooldownOrBreakerAndRewindingWalksOnlyThosePassedOver() {
        Target a = target("a", 0);
        Target b = target("b", 0);
        TargetWalk w = walk(Map.of(), a, b);
        w.health(a).coolDown(Duration.ofSeconds(9), Duration.ofSeconds(1));
        TargetHealth hb = w.health(b);
        hb.tryAcquire();
        hb.onFailure();
        assertThat(w.acquireNext()).isNull();
        assertThat(w.soonestRecoveryNanos()).isEqualTo(Duration.ofSeconds(9).toNanos());

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        w.rewind();
        assertThat(w.acquireNext().target()).isEqualTo(a);
        assertThat(w.acquireNext()).isNull(); // b is still open: passed over again, but logged only once
        assertThat(logged()).containsExactly("a/m:cooling_down", "b/m:breaker_open");
    }

    @Test
    void afterAContextOverflowOnlyLargerOrUnknownWindowsAreTried() {
        Target small = target("small", 0);
        Target same = target("same", 0);
        Target unknown = target("unknown", 0);
        Target large = target("large", 0);
        TargetWalk w = walk(Map.of("small/m", 4_096L, "same/m", 8_192L, "large/m", 128_000L), small, same, unknown, large);
        w.requireLargerWindowThan(8_192);

        assertThat(w.acquireNext().target()).isEqualTo(unknown);
        assertThat(w.acquireNext().target()).isEqualTo(large);
        assertThat(logged()).containsExactly("small/m:skipped_context", "same/m:skipped_context");
        assertThat(w.anyPassedOver()).as("a window too small is not worth waiting for").isFalse();
    }

    @Test
    void aTargetPassedOverTwiceIsWaitedForOnce() {
        Target a = target("a", 0);
        TargetWalk w = walk(Map.of(), a);
        w.passOver(a);
        w.passOver(a);
        w.rewind();
        assertThat(w.acquireNext().target()).isEqualTo(a);
        assertThat(w.acquireNext()).isNull();
    }
}
