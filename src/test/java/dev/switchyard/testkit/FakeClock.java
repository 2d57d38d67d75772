package dev.switchyard.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test says so, for breakers and cooldowns: "15s later" is one
 * call, not 15 seconds of waiting. Thread-safe, because the gateway reads it on its event loops.
 */
public final class FakeClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L); // far from 0, so nothing relies on it

    @Override
    public long getAsLong() {
        return now.get();
    }

    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
