package dev.switchyard.accounting;

import io.micrometer.core.instrument.Clock;

/**
 * Wall-clock milliseconds, read from a field a daemon thread refreshes every {@value #TICK_MILLIS} ms. For the clock
 * reads on every request that only decide which time window a sample falls in: Micrometer's maxima rotate every
 * 40 s, the live percentile windows every few seconds, budgets by UTC day. A real clock read costs 30–70 ns on
 * the VMs the load bench ran on, and a request made about ten of them just for these.
 */
public final class CoarseClock {
    static final long TICK_MILLIS = 5;
    private static volatile long now = System.currentTimeMillis();

    static {
        Thread t = new Thread(() -> {
            while (true) {
                now = System.currentTimeMillis();
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "switchyard-coarse-clock");
        t.setDaemon(true);
        t.start();
    }

    private CoarseClock() {}

    /** The wall clock in epoch ms, at most {@value #TICK_MILLIS} ms (plus scheduling delay) behind. */
    public static long millis() {
        return now;
    }

    /** For Micrometer: a coarse wall clock, a precise monotonic one (timings still measure exactly). */
    public static final Clock MICROMETER = new Clock() {
        @Override
        public long wallTime() {
            return now;
        }

        @Override
        public long monotonicTime() {
            return System.nanoTime();
        }
    };
}
