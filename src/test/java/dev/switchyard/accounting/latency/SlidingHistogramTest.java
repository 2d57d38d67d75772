package dev.switchyard.accounting.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Window expiry with a fake clock: no sleeps. */
class SlidingHistogramTest {
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final SlidingHistogram h = new SlidingHistogram(now::get);

    static final long MINUTE = 60_000;

    private void advance(long millis) {
        now.addAndGet(millis);
    }

    @Test
    void valuesLeaveTheMinuteWindowButStayInFiveMinutesAndTheHour() {
        for (int i = 1; i <= 100; i++) h.record(i * 1000L);
        assertThat(h.snapshot(MINUTE).getTotalCount()).isEqualTo(100);

        advance(75_000);
        assertThat(h.snapshot(MINUTE).getTotalCount()).isZero();
        assertThat(h.snapshot(5 * MINUTE).getTotalCount()).isEqualTo(100);
        assertThat(h.snapshot(60 * MINUTE).getTotalCount()).isEqualTo(100);

        advance(5 * MINUTE);
        assertThat(h.snapshot(5 * MINUTE).getTotalCount()).isZero();
        assertThat(h.snapshot(60 * MINUTE).getTotalCount()).isEqualTo(100);

        advance(60 * MINUTE);
        assertThat(h.snapshot(60 * MINUTE).getTotalCount()).isZero();
    }

    @Test
    void windowsCombineOldAndNewValues() {
        for (int i = 0; i < 10; i++) h.record(1_000_000); // 1 s
        advance(2 * MINUTE);
        for (int i = 0; i < 30; i++) h.record(10_000); // 10 ms
        Histogram minute = h.snapshot(MINUTE);
        assertThat(minute.getTotalCount()).isEqualTo(30);
        assertThat(minute.getMaxValue()).isLessThan(11_000);
        Histogram five = h.snapshot(5 * MINUTE);
        assertThat(five.getTotalCount()).isEqualTo(40);
        assertThat((double) five.getValueAtPercentile(99)).isCloseTo(1_000_000, within(10_000.0));
        assertThat((double) five.getValueAtPercentile(50)).isCloseTo(10_000, within(100.0));
    }

    @Test
    void theHourWindowSeesEveryMinuteOfTheHour() {
        // one value a minute for 70 minutes, snapshots taken now and then as the dashboard would
        for (int m = 0; m < 70; m++) {
            h.record(1000 + m);
            if (m % 7 == 0) h.snapshot(MINUTE);
            advance(MINUTE);
        }
        long hour = h.snapshot(60 * MINUTE).getTotalCount();
        // the window reaches back at most one slot (a minute) further than an hour
        assertThat(hour).isBetween(60L, 61L);
        assertThat(h.snapshot(5 * MINUTE).getTotalCount()).isBetween(5L, 6L);
    }

    @Test
    void aLongIdleGapLeavesNoStaleSlots() {
        h.record(5_000);
        advance(3 * 60 * MINUTE);
        h.record(7_000);
        assertThat(h.snapshot(60 * MINUTE).getTotalCount()).isEqualTo(1);
        assertThat(h.snapshot(MINUTE).getMaxValue()).isLessThan(7_100);
    }

    /** Also guards against writer livelock (HdrHistogram's packed concurrent arrays spun forever here). */
    @RepeatedTest(5)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentWritersLoseNothing() throws Exception {
        int threads = 4;
        int each = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    h.record(100 + i % 1000);
                    if (i % 5000 == 0) advance(11_000); // slots roll while others write
                }
            });
            ts[t].start();
        }
        go.countDown();
        for (Thread t : ts) t.join();
        assertThat(h.snapshot(60 * MINUTE).getTotalCount()).isEqualTo((long) threads * each);
    }
}
