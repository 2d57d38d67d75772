package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TargetHealthTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final BreakerPolicy policy = new BreakerPolicy(3, 0.5, 10, Duration.ofSeconds(10), Duration.ofSeconds(40));

    private TargetHealth health(int cap) {
        return new TargetHealth("p/m", policy, cap, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static void fail(TargetHealth h, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(h.tryAcquire()).isTrue();
            h.onFailure();
        }
    }

    @Test
    void opensAfterConsecutiveFailuresAndRecoversThroughOneProbe() {
        TargetHealth h = health(0);
        fail(h, 2);
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.CLOSED);
        fail(h, 1);
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.OPEN);
        assertThat(h.tryAcquire()).isFalse();
        assertThat(h.nanosUntilAvailable()).isEqualTo(Duration.ofSeconds(10).toNanos());

        advance(Duration.ofSeconds(10));
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.HALF_OPEN);
        assertThat(h.tryAcquire()).as("the single probe").isTrue();
        assertThat(h.tryAcquire()).as("no second request while probing").isFalse();
        h.onSuccess(0, 5_000_000);
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.CLOSED);
        assertThat(h.tryAcquire()).isTrue();
    }

    @Test
    void failedProbeReopensForLongerUpToTheCap() {
        TargetHealth h = health(0);
        fail(h, 3);
        advance(Duration.ofSeconds(10));
        fail(h, 1); // probe fails: open for 20s
        assertThat(h.nanosUntilAvailable()).isEqualTo(Duration.ofSeconds(20).toNanos());
        advance(Duration.ofSeconds(20));
        fail(h, 1); // 40s
        advance(Duration.ofSeconds(40));
        fail(h, 1); // capped at 40s
        assertThat(h.nanosUntilAvailable()).isEqualTo(Duration.ofSeconds(40).toNanos());
    }

    @Test
    void opensOnErrorRateOverAFullWindowEvenWithoutAStreak() {
        TargetHealth h = health(0);
        // alternating outcomes never make a streak of 3; the 11th (a failure) judges a full window: 5 of 10 failed
        for (int i = 0; i < 11; i++) {
            assertThat(h.tryAcquire()).isTrue();
            if (i % 2 == 0) h.onFailure();
            else h.onSuccess(0, 1);
            if (i < 10) assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.CLOSED);
        }
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.OPEN);
    }

    @Test
    void cooldownFollowsTheRetryHintThenLifts() {
        TargetHealth h = health(0);
        h.coolDown(Duration.ofMillis(1500), Duration.ofSeconds(1));
        assertThat(h.tryAcquire()).isFalse();
        assertThat(h.nanosUntilAvailable()).isEqualTo(Duration.ofMillis(1500).toNanos());
        advance(Duration.ofMillis(1500));
        assertThat(h.tryAcquire()).isTrue();
    }

    @Test
    void concurrencyCapRefusesUntilReleased() {
        TargetHealth h = health(2);
        assertThat(h.tryAcquire()).isTrue();
        assertThat(h.tryAcquire()).isTrue();
        assertThat(h.tryAcquire()).isFalse();
        h.release();
        assertThat(h.tryAcquire()).isTrue();
        assertThat(h.snapshot().inFlight()).isEqualTo(2);
    }

    @Test
    void ewmaTracksTimeToFirstToken() {
        TargetHealth h = health(0);
        assertThat(h.expectedMillis()).isNaN();
        h.tryAcquire();
        h.onSuccess(100_000_000, 900_000_000);
        assertThat(h.expectedMillis()).isEqualTo(100.0);
        h.tryAcquire();
        h.onSuccess(200_000_000, 900_000_000);
        assertThat(h.expectedMillis()).isEqualTo(120.0);
    }

    @Test
    void aRateCapRefusesBeyondItsRequestsPerMinuteAndSaysWhenItFrees() {
        TargetHealth h = health(0);
        h.rateCap(2, 0);
        assertThat(h.tryAcquire(10)).isTrue();
        h.onSuccess(0, 1);
        assertThat(h.tryAcquire(10)).isTrue();
        h.release();
        assertThat(h.tryAcquire(10)).as("two per minute").isFalse();
        assertThat(h.rateCapWaitNanos(10)).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(h.nanosUntilAvailable(10)).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(h.snapshot().rateCapWaitMillis()).isEqualTo(30_000);
        assertThat(h.snapshot().inFlight()).as("a refusal holds nothing").isZero();
        advance(Duration.ofSeconds(30));
        assertThat(h.tryAcquire(10)).isTrue();
    }

    @Test
    void tokensPerMinuteAreTakenByEstimateAndCorrectedByUsage() {
        TargetHealth h = health(0);
        h.rateCap(0, 1000);
        assertThat(h.tryAcquire(600)).isTrue();
        assertThat(h.tryAcquire(600)).as("400 left").isFalse();
        h.reconcileTokens(600, 100); // the answer was shorter than estimated
        assertThat(h.tryAcquire(600)).isTrue();
        assertThat(h.rateCapWaitNanos(600)).isPositive();
    }

    @Test
    void aHalfOpenProbeRefusedByTheCapLeavesTheProbeSlotFree() {
        TargetHealth h = health(0);
        h.rateCap(3, 0);
        fail(h, 3); // opens, and uses the minute's three requests
        advance(Duration.ofSeconds(10)); // half-open, but the cap has only half a request back
        assertThat(h.tryAcquire(1)).isFalse();
        assertThat(h.snapshot().state()).isEqualTo(TargetHealth.State.HALF_OPEN);
        advance(Duration.ofSeconds(10));
        assertThat(h.tryAcquire(1)).as("the probe was not left taken by the refusal").isTrue();
        assertThat(h.tryAcquire(1)).as("one probe at a time").isFalse();
    }

    @Test
    void aChangedCapStartsAfreshAndNoCapIsNoLimit() {
        TargetHealth h = health(0);
        h.rateCap(1, 0);
        assertThat(h.tryAcquire(1)).isTrue();
        assertThat(h.tryAcquire(1)).isFalse();
        h.rateCap(5, 0);
        assertThat(h.tryAcquire(1)).isTrue();
        h.rateCap(0, 0);
        for (int i = 0; i < 100; i++) assertThat(h.tryAcquire(1_000_000)).isTrue();
        assertThat(h.rateCapWaitNanos(1)).isZero();
    }
}
