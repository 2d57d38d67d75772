package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The time-to-first-token history behind {@code hedge: {after: p95}}. */
class TargetHealthHedgeHistoryTest {
    private final TargetHealth h = new TargetHealth("p/m", BreakerPolicy.DEFAULT, 0, () -> 0L);

    private void success(long ttftMillis) {
        assertThat(h.tryAcquire()).isTrue();
        h.onSuccess(Duration.ofMillis(ttftMillis).toNanos(), Duration.ofMillis(ttftMillis + 100).toNanos());
    }

    @Test
    void noPercentileUntilTenTimesToFirstTokenAreKnown() {
        for (int i = 1; i <= 9; i++) success(i * 10);
        assertThat(h.ttftPercentileNanos(95)).isEqualTo(-1);
        success(100);
        assertThat(h.ttftPercentileNanos(95)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(h.ttftPercentileNanos(50)).isEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void plainRequestsAndFailuresAddNoHistory() {
        for (int i = 0; i < 20; i++) {
            assertThat(h.tryAcquire()).isTrue();
            h.onSuccess(0, Duration.ofMillis(30).toNanos()); // a non-streaming answer has no first token
        }
        assertThat(h.ttftPercentileNanos(95)).isEqualTo(-1);
    }

    @Test
    void onlyTheLatest128Count() {
        for (int i = 0; i < 128; i++) success(1_000);
        for (int i = 0; i < 128; i++) success(10);
        assertThat(h.ttftPercentileNanos(99)).isEqualTo(Duration.ofMillis(10).toNanos());
    }
}
