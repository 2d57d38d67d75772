package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeoutWheelTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> fired = new ArrayList<>();
    private int tickerStarts;
    private int tickerStops;
    private final TimeoutWheel wheel = new TimeoutWheel(nanos::get, (millis, tick) -> {
        assertThat(millis).isEqualTo(TimeoutWheel.TICK_MILLIS);
        tickerStarts++;
        return () -> tickerStops++;
    });

    /** Moves the clock in tick-sized steps, advancing the wheel after each, as the periodic timer would. */
    private void passMillis(long millis) {
        for (long left = millis; left > 0; left -= TimeoutWheel.TICK_MILLIS) {
            nanos.addAndGet(Math.min(left, TimeoutWheel.TICK_MILLIS) * 1_000_000);
            wheel.advance();
        }
    }

    @Test
    void firesOnceDueNeverEarlyAndAtMostOneTickLate() {
        wheel.schedule(100, () -> fired.add("a"));
        passMillis(99);
        assertThat(fired).isEmpty();
        passMillis(TimeoutWheel.TICK_MILLIS + 1);
        assertThat(fired).containsExactly("a");
        passMillis(1_000);
        assertThat(fired).containsExactly("a");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aCancelledTimeoutNeverFires() {
        TimeoutWheel.Timeout t = wheel.schedule(50, () -> fired.add("cancelled"));
        wheel.schedule(50, () -> fired.add("kept"));
        wheel.cancel(t);
        wheel.cancel(t); // twice is harmless
        assertThat(wheel.size()).isEqualTo(1);
        passMillis(100);
        assertThat(fired).containsExactly("kept");
    }

    @Test
    void timeoutsLongerThanOneRevolutionWaitForTheirTurn() {
        // the wheel turns once every 512 ticks (2.56 s): 10 s shares a slot with much earlier due times
        wheel.schedule(10_000, () -> fired.add("10s"));
        wheel.schedule(2_560, () -> fired.add("one turn"));
        passMillis(2_600);
        assertThat(fired).containsExactly("one turn");
        passMillis(7_350);
        assertThat(fired).containsExactly("one turn");
        passMillis(100);
        assertThat(fired).containsExactly("one turn", "10s");
    }

    @Test
    void aHandlerMayCancelAnotherTimeoutDueInTheSameTick() {
        TimeoutWheel.Timeout[] other = new TimeoutWheel.Timeout[1];
        wheel.schedule(20, () -> {
            fired.add("first");
            wheel.cancel(other[0]);
        });
        other[0] = wheel.schedule(20, () -> fired.add("second"));
        passMillis(30);
        // due in the same tick, they run in arming order: the first cancels the second before its turn
        assertThat(fired).containsExactly("first");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aHandlerMayArmANewTimeoutWhichFiresLaterNotNow() {
        wheel.schedule(10, () -> {
            fired.add("first");
            wheel.schedule(0, () -> fired.add("re-armed"));
        });
        passMillis(10);
        assertThat(fired).containsExactly("first");
        passMillis(TimeoutWheel.TICK_MILLIS);
        assertThat(fired).containsExactly("first", "re-armed");
    }

    @Test
    void aFailingHandlerDoesNotStopTheOthers() {
        wheel.schedule(10, () -> {
            throw new IllegalStateException("boom");
        });
        wheel.schedule(10, () -> fired.add("still runs"));
        passMillis(20);
        assertThat(fired).containsExactly("still runs");
    }

    @Test
    void aLateWheelCatchesUpOnEveryMissedTick() {
        wheel.schedule(30, () -> fired.add("30"));
        wheel.schedule(700, () -> fired.add("700"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2)); // the event loop was blocked: no ticks for 2 s
        wheel.advance();
        assertThat(fired).containsExactly("30", "700");
    }

    @Test
    void tickingStopsAfterBeingEmptyForAWhileAndRestartsWhenNeeded() {
        wheel.schedule(10, () -> fired.add("x"));
        assertThat(tickerStarts).isEqualTo(1);
        passMillis(500);
        assertThat(tickerStops).isZero(); // steady traffic does not restart the timer after every request
        passMillis(1_000);
        assertThat(tickerStops).isEqualTo(1);
        wheel.schedule(10, () -> fired.add("y"));
        assertThat(tickerStarts).isEqualTo(2);
        passMillis(20);
        assertThat(fired).containsExactly("x", "y");
    }

    @Test
    void onARealEventLoopTimeoutsFireThroughVertxTimers() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Long> late = new CompletableFuture<>();
            CompletableFuture<Boolean> cancelledRan = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                TimeoutWheel w = TimeoutWheel.forCurrentThread(vertx);
                assertThat(TimeoutWheel.forCurrentThread(vertx)).isSameAs(w); // one per event loop
                long start = System.nanoTime();
                TimeoutWheel.Timeout c = w.schedule(20, () -> cancelledRan.complete(true));
                w.cancel(c);
                w.schedule(40, () -> late.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            });
            assertThat(late.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(40);
            assertThat(cancelledRan).isNotDone();
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void offAnEventLoopEachTimeoutIsAVertxTimer() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            TimeoutWheel w = TimeoutWheel.forCurrentThread(vertx); // the test's own thread
            CompletableFuture<String> done = new CompletableFuture<>();
            TimeoutWheel.Timeout c = w.schedule(10, () -> done.complete("cancelled one ran"));
            w.cancel(c);
            w.schedule(30, () -> done.complete("ran"));
            assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }
}
