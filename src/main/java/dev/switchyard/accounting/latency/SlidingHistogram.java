package dev.switchyard.accounting.latency;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * One metric's distribution over the last hour, readable for any window up to it.
 *
 * <p>Writers record into an HdrHistogram {@link Recorder} (an atomic increment, any thread). Time is cut into slots:
 * 10-second slots in a ring covering five minutes, and one-minute slots in a ring covering the hour. When a
 * writer or a reader sees the current slot is over it takes the recorder's interval histogram and files it
 * under the slot it was recorded in. A writer never waits for that: if another thread holds the lock it just
 * records, and its value lands in the slot that is closing (off by at most one slot).
 *
 * <p>A window is the slots that overlap it, plus the slot in progress, so it may reach back up to one slot
 * further than its nominal length (10 s for 1 m and 5 m, 1 min for 1 h). Closed slots are packed histograms
 * (touched only under the lock): their memory follows the number of distinct values, not the value range; the
 * recorder's own two fixed-range histograms take about 25 KB each.
 */
final class SlidingHistogram {
    static final long FINE_SLOT_MS = 10_000;
    static final int FINE_SLOTS = 30;
    static final long COARSE_SLOT_MS = 60_000;
    static final int COARSE_SLOTS = 60;
    private static final int DIGITS = 2;
    /** Values past an hour are clamped: they would only widen the histogram. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final LongSupplier clockMillis;
    /**
     * Fixed range (1 µs to an hour), so recording is an atomic increment and never a resize. Not the packed
     * auto-resizing recorder: its concurrent packed array spun forever under concurrent writers in our tests.
     */
    private final Recorder recorder = new Recorder(1, MAX_MICROS, DIGITS);
    private final ReentrantLock lock = new ReentrantLock();
    /** End of the fine slot in progress; read without the lock on every record. */
    private volatile long slotEnd = Long.MIN_VALUE;

    // Guarded by lock.
    private long slotStart;
    private Histogram interval;
    private final Histogram current = new PackedHistogram(DIGITS);
    private long minuteStart;
    private final Histogram minute = new PackedHistogram(DIGITS);
    private final Ring fine = new Ring(FINE_SLOTS, FINE_SLOT_MS);
    private final Ring coarse = new Ring(COARSE_SLOTS, COARSE_SLOT_MS);

    SlidingHistogram(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    void record(long micros) {
        if (clockMillis.getAsLong() >= slotEnd && lock.tryLock()) {
            try {
                roll(clockMillis.getAsLong());
            } finally {
                lock.unlock();
            }
        }
        recorder.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
    }

    /** The distribution over the last {@code windowMillis} (at most an hour), values in microseconds. */
    Histogram snapshot(long windowMillis) {
        Histogram out = new Histogram(DIGITS);
        lock.lock();
        try {
            long now = clockMillis.getAsLong();
            roll(now);
            long from = now - windowMillis;
            if (windowMillis <= FINE_SLOTS * FINE_SLOT_MS) {
                fine.addInto(out, from);
            } else {
                coarse.addInto(out, from);
                out.add(minute);
            }
            out.add(current);
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** Drains the recorder into the slot in progress, and closes that slot (and its minute) when time has moved on. */
    private void roll(long now) {
        if (slotEnd == Long.MIN_VALUE) {
            slotStart = now - Math.floorMod(now, FINE_SLOT_MS);
            minuteStart = now - Math.floorMod(now, COARSE_SLOT_MS);
            slotEnd = slotStart + FINE_SLOT_MS;
        }
        interval = recorder.getIntervalHistogram(interval);
        current.add(interval);
        if (now < slotEnd) return;
        long slotMinute = slotStart - Math.floorMod(slotStart, COARSE_SLOT_MS);
        if (slotMinute != minuteStart) closeMinute(slotMinute);
        fine.put(slotStart, current);
        minute.add(current);
        current.reset();
        if (now >= minuteStart + COARSE_SLOT_MS) closeMinute(now - Math.floorMod(now, COARSE_SLOT_MS));
        slotStart = now - Math.floorMod(now, FINE_SLOT_MS);
        slotEnd = slotStart + FINE_SLOT_MS;
    }

    private void closeMinute(long nextMinuteStart) {
        coarse.put(minuteStart, minute);
        minute.reset();
        minuteStart = nextMinuteStart;
    }

    /** Fixed slots in a ring, each remembering which period it holds so stale ones are skipped. */
    private static final class Ring {
        private final Histogram[] slots;
        private final long[] starts;
        private final long slotMillis;

        Ring(int n, long slotMillis) {
            this.slots = new Histogram[n];
            this.starts = new long[n];
            this.slotMillis = slotMillis;
            java.util.Arrays.fill(starts, Long.MIN_VALUE);
        }

        void put(long start, Histogram h) {
            int i = (int) Math.floorMod(start / slotMillis, (long) slots.length);
            if (h.getTotalCount() == 0) {
                // Idle period: mark the slot stale rather than holding an empty histogram.
                starts[i] = Long.MIN_VALUE;
                if (slots[i] != null) slots[i].reset();
                return;
            }
            if (slots[i] == null) slots[i] = new PackedHistogram(DIGITS);
            else slots[i].reset();
            slots[i].add(h);
            starts[i] = start;
        }

        /** Adds every slot that overlaps [from, now]. */
        void addInto(Histogram out, long from) {
            for (int i = 0; i < slots.length; i++) {
                if (starts[i] != Long.MIN_VALUE && starts[i] + slotMillis > from) out.add(slots[i]);
            }
        }
    }
}
