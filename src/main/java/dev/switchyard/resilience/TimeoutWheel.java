package dev.switchyard.resilience;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coarse timeouts for the requests of one event loop (a hashed timing wheel): arming and cancelling are O(1) and
 * allocate one small object. Every request arms two to four timeouts (its deadline, each attempt's total and
 * first-token limits, a stream's idle limit) and almost all of them are cancelled unfired. As Vert.x timers each
 * cost a map entry, a Netty scheduled task and a priority-queue insert and removal: about 0.3 µs per timer on
 * every request, measured in the load bench's profile.
 *
 * <p>A timeout fires on the first tick at or after its due time: at most {@link #TICK_MILLIS} late, never early.
 * That suits limits of hundreds of milliseconds and more; short, exact delays (retry backoff, hedging) stay on
 * Vert.x timers. One periodic Vert.x timer drives the wheel while it holds timeouts, and stops after it has been
 * empty for a while. Confined to its event loop's thread, like the requests it serves: no locks.
 */
final class TimeoutWheel {
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutWheel.class);
    static final long TICK_MILLIS = 5;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000;
    /** A power of two: 2.56 s per revolution; longer timeouts wait in their slot for later revolutions. */
    private static final int SLOTS = 512;
    /** Ticks of emptiness before the periodic timer stops (~1 s), so steady traffic never restarts it. */
    private static final int IDLE_TICKS = 200;
    private static final ThreadLocal<TimeoutWheel> PER_THREAD = new ThreadLocal<>();

    /** Schedules the wheel's ticks; Vert.x's periodic timer in production, driven by hand in tests. */
    interface Ticker {
        /** Calls {@code tick} every {@code millis} until the returned handle is cancelled. */
        Runnable every(long millis, Runnable tick);
    }

    /** An armed timeout. Cancelling one that already fired or was cancelled does nothing. */
    static final class Timeout {
        private final Runnable action;
        /** the Vert.x timer behind it, for a wheel off an event loop ({@link #direct}); else -1 */
        private long vertxTimer = -1;
        private long dueTick;
        private Timeout prev;
        private Timeout next;
        /** its slot while armed; -1 once it fired, is firing or was cancelled */
        private int slot = -1;
        private boolean cancelled;

        private Timeout(Runnable action) {
            this.action = action;
        }
    }

    private final Timeout[] heads = new Timeout[SLOTS];
    private final Timeout[] tails = new Timeout[SLOTS];
    private final LongSupplier nanoClock;
    private final Ticker ticker;
    /** set for a wheel that hands every timeout to Vert.x instead (off an event loop) */
    private final Vertx direct;
    private Runnable stopTicking;
    /** the last tick processed */
    private long tick;
    private long lastBusyTick;
    private int size;

    TimeoutWheel(LongSupplier nanoClock, Ticker ticker) {
        this(nanoClock, ticker, null);
    }

    private TimeoutWheel(LongSupplier nanoClock, Ticker ticker, Vertx direct) {
        this.nanoClock = nanoClock;
        this.ticker = ticker;
        this.direct = direct;
    }

    /**
     * The calling event loop's wheel, made on first use. Off an event loop (a request driven from a test's own
     * thread) there is no loop to confine a wheel to: every timeout is then a Vert.x timer of its own.
     */
    static TimeoutWheel forCurrentThread(Vertx vertx) {
        if (!Context.isOnEventLoopThread()) return new TimeoutWheel(System::nanoTime, null, vertx);
        TimeoutWheel w = PER_THREAD.get();
        if (w == null) {
            w = new TimeoutWheel(System::nanoTime, (millis, tick) -> {
                long id = vertx.setPeriodic(millis, t -> tick.run());
                return () -> vertx.cancelTimer(id);
            });
            PER_THREAD.set(w);
        }
        return w;
    }

    /** Runs {@code action} on this event loop once {@code delayMillis} have passed, unless cancelled first. */
    Timeout schedule(long delayMillis, Runnable action) {
        if (direct != null) {
            Timeout t = new Timeout(action);
            t.vertxTimer = direct.setTimer(Math.max(1, delayMillis), id -> {
                if (!t.cancelled) fire(t);
            });
            return t;
        }
        long now = nanoClock.getAsLong();
        if (stopTicking == null) {
            tick = Math.floorDiv(now, TICK_NANOS);
            stopTicking = ticker.every(TICK_MILLIS, this::advance);
        }
        Timeout t = new Timeout(action);
        // the first tick whose start is at or after the due time: never early
        long due = Math.floorDiv(now + Math.max(0, delayMillis) * 1_000_000 + TICK_NANOS - 1, TICK_NANOS);
        t.dueTick = Math.max(due, tick + 1);
        link(t);
        return t;
    }

    void cancel(Timeout t) {
        if (t == null) return;
        t.cancelled = true;
        if (t.slot >= 0) unlink(t);
        if (t.vertxTimer >= 0) direct.cancelTimer(t.vertxTimer);
    }

    /** Timeouts armed and not yet fired or cancelled. */
    int size() {
        return size;
    }

    /** Processes every tick up to now: fires what is due, tick by tick, in arming order within a tick. */
    void advance() {
        long target = Math.floorDiv(nanoClock.getAsLong(), TICK_NANOS);
        while (tick < target) {
            tick++;
            Timeout due = takeDue(tick);
            for (Timeout t = due; t != null; ) {
                Timeout following = t.next;
                t.next = null;
                if (!t.cancelled) fire(t);
                t = following;
            }
        }
        if (size > 0) {
            lastBusyTick = tick;
        } else if (tick - lastBusyTick > IDLE_TICKS && stopTicking != null) {
            stopTicking.run();
            stopTicking = null;
        }
    }

    /** Unlinks the slot's entries due by {@code now} into a list of their own (they may arm or cancel others). */
    private Timeout takeDue(long now) {
        int slot = (int) (now & (SLOTS - 1));
        Timeout first = null;
        Timeout last = null;
        for (Timeout t = heads[slot]; t != null; ) {
            Timeout following = t.next;
            if (t.dueTick <= now) {
                unlink(t);
                if (last == null) first = t;
                else last.next = t;
                last = t;
            }
            t = following;
        }
        return first;
    }

    private void fire(Timeout t) {
        try {
            t.action.run();
        } catch (RuntimeException e) {
            // a failing handler must not stop the wheel, nor the other requests' timeouts
            LOG.error("a timeout handler failed", e);
        }
    }

    /** Appends: a slot's timeouts due in the same tick fire in the order they were armed. */
    private void link(Timeout t) {
        int slot = (int) (t.dueTick & (SLOTS - 1));
        t.slot = slot;
        t.next = null;
        t.prev = tails[slot];
        if (t.prev != null) t.prev.next = t;
        else heads[slot] = t;
        tails[slot] = t;
        size++;
    }

    private void unlink(Timeout t) {
        if (t.prev != null) t.prev.next = t.next;
        else heads[t.slot] = t.next;
        if (t.next != null) t.next.prev = t.prev;
        else tails[t.slot] = t.prev;
        t.prev = null;
        t.next = null;
        t.slot = -1;
        size--;
    }
}
