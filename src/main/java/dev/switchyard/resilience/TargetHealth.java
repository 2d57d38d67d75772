package dev.switchyard.resilience;

import dev.switchyard.auth.TokenBucket;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What the gateway knows about one target across requests: its circuit breaker, a rate-limit cooldown,
 * smoothed latencies and in-flight count. Shared by every event loop, so its methods are synchronized —
 * they are short and rarely contended (one call at an attempt's start and one at its end).
 */
public final class TargetHealth {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** A read-only view for the admin API and metrics. */
    public record Snapshot(String target, State state, long cooldownRemainingMillis, long openRemainingMillis,
            double ewmaTtftMillis, double ewmaLatencyMillis, int inFlight, int maxConcurrency,
            int consecutiveFailures, double recentErrorRate, long rateCapWaitMillis) {}

    private static final double ALPHA = 0.2;

    private final String target;
    private final BreakerPolicy policy;
    private final LongSupplier clock;
    private final int maxConcurrency;

    private State state = State.CLOSED;
    private long openUntil;
    private long openForNanos;
    private boolean probeInFlight;
    private long cooldownUntil;
    private int consecutiveFailures;
    private final boolean[] recent;
    private int recentCount;
    private int recentPos;
    private int recentFailures;
    private double ewmaTtft = Double.NaN;
    private double ewmaLatency = Double.NaN;
    private int inFlight;
    private final long[] ttftSamples = new long[128];
    private int ttftCount;
    private int ttftPos;
    // the provider's per-target rate cap (providers.<name>.limits); null buckets = uncapped
    private volatile int capRpm;
    private volatile int capTpm;
    private TokenBucket capRequests;
    private TokenBucket capTokens;

    /** @param maxConcurrency 0 = no cap */
    public TargetHealth(String target, BreakerPolicy policy, int maxConcurrency, LongSupplier nanoClock) {
        this.target = target;
        this.policy = policy;
        this.maxConcurrency = maxConcurrency;
        this.clock = nanoClock;
        this.recent = new boolean[Math.max(1, policy.window())];
        this.openForNanos = policy.openFor().toNanos();
    }

    public String target() {
        return target;
    }

    /**
     * Sets the requests/tokens-per-minute cap of this target (0 = none). Called with the live configuration on
     * every use; a changed cap starts with full buckets.
     */
    public void rateCap(int rpm, int tpm) {
        if (rpm == capRpm && tpm == capTpm) return;
        synchronized (this) {
            long now = clock.getAsLong();
            capRequests = rpm > 0 ? new TokenBucket(rpm, now) : null;
            capTokens = tpm > 0 ? new TokenBucket(tpm, now) : null;
            capRpm = rpm;
            capTpm = tpm;
        }
    }

    public boolean tryAcquire() {
        return tryAcquire(0);
    }

    /**
     * Whether an attempt of about {@code estimatedTokens} may start now; if so it is counted in flight (and, when
     * half-open, becomes the single probe) and takes its share of the rate cap. Every successful {@code tryAcquire}
     * must be followed by exactly one of {@link #onSuccess}, {@link #onFailure} or {@link #release}.
     */
    public synchronized boolean tryAcquire(long estimatedTokens) {
        long now = clock.getAsLong();
        if (now - cooldownUntil < 0) return false;
        if (state == State.OPEN) {
            if (now - openUntil < 0) return false;
            state = State.HALF_OPEN;
        }
        if (state == State.HALF_OPEN) {
            if (probeInFlight) return false;
            probeInFlight = true;
        }
        if (maxConcurrency > 0 && inFlight >= maxConcurrency || !takeRate(now, estimatedTokens)) {
            if (state == State.HALF_OPEN) probeInFlight = false;
            return false;
        }
        inFlight++;
        return true;
    }

    /** Takes one request and the estimated tokens from the cap, or nothing. */
    private boolean takeRate(long now, long tokens) {
        if (capRequests != null && !capRequests.tryTake(1, now)) return false;
        if (capTokens != null && !capTokens.tryTake(Math.max(0, tokens), now)) {
            if (capRequests != null) capRequests.adjust(-1, now);
            return false;
        }
        return true;
    }

    /** Corrects an attempt's token estimate once its usage is known. */
    public synchronized void reconcileTokens(long estimated, long actual) {
        if (capTokens != null && actual != estimated) capTokens.adjust(actual - estimated, clock.getAsLong());
    }

    /** How long until the rate cap admits an attempt of {@code tokens}; zero when it would now (or there is no cap). */
    public synchronized long rateCapWaitNanos(long tokens) {
        return rateWait(clock.getAsLong(), tokens);
    }

    private long rateWait(long now, long tokens) {
        long w = capRequests == null ? 0 : capRequests.nanosUntil(1, now);
        return capTokens == null ? w : Math.max(w, capTokens.nanosUntil(Math.max(1, tokens), now));
    }

    /** How long until {@link #tryAcquire} may succeed again, ignoring concurrency; zero when it may now. */
    public synchronized long nanosUntilAvailable() {
        return nanosUntilAvailable(0);
    }

    /** As {@link #nanosUntilAvailable()}, for an attempt of about {@code tokens} under the rate cap. */
    public synchronized long nanosUntilAvailable(long tokens) {
        long now = clock.getAsLong();
        long wait = Math.max(0, cooldownUntil - now);
        if (state == State.OPEN) wait = Math.max(wait, openUntil - now);
        return Math.max(Math.max(0, wait), rateWait(now, tokens));
    }

    /** @param ttftNanos time to first token (streams) or 0; @param latencyNanos the attempt's duration */
    public synchronized void onSuccess(long ttftNanos, long latencyNanos) {
        inFlight--;
        consecutiveFailures = 0;
        record(false);
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            probeInFlight = false;
            openForNanos = policy.openFor().toNanos();
        }
        if (ttftNanos > 0) {
            ewmaTtft = ewma(ewmaTtft, ttftNanos / 1e6);
            ttftSamples[ttftPos] = ttftNanos;
            ttftPos = (ttftPos + 1) % ttftSamples.length;
            if (ttftCount < ttftSamples.length) ttftCount++;
        }
        ewmaLatency = ewma(ewmaLatency, latencyNanos / 1e6);
    }

    /** A failure that says something about the target's health (not a client error). */
    public synchronized void onFailure() {
        inFlight--;
        consecutiveFailures++;
        record(true);
        long now = clock.getAsLong();
        if (state == State.HALF_OPEN) {
            probeInFlight = false;
            openForNanos = Math.min(openForNanos * 2, policy.maxOpenFor().toNanos());
            open(now);
            return;
        }
        boolean rateTripped = recentCount == recent.length && recentFailures >= policy.errorRate() * recent.length;
        if (state == State.CLOSED && (consecutiveFailures >= policy.consecutiveFailures() || rateTripped)) open(now);
    }

    /** The attempt ended without telling anything about health (client error, cancelled, lost hedge). */
    public synchronized void release() {
        inFlight--;
        if (state == State.HALF_OPEN) probeInFlight = false;
    }

    /** A 429: no new attempts until the provider's hint (or {@code fallback} without one). */
    public synchronized void coolDown(Duration retryAfter, Duration fallback) {
        Duration d = retryAfter != null ? retryAfter : fallback;
        long until = clock.getAsLong() + d.toNanos();
        if (until - cooldownUntil > 0) cooldownUntil = until;
    }

    /** Smoothed time to first token, or latency when no TTFT was seen; NaN when nothing is known yet. */
    public synchronized double expectedMillis() {
        return Double.isNaN(ewmaTtft) ? ewmaLatency : ewmaTtft;
    }

    /**
     * A percentile of the last 128 times to first token (for {@code hedge: {after: p95}}), or -1 while
     * fewer than 10 are known — too few to hedge on.
     */
    public synchronized long ttftPercentileNanos(double percentile) {
        if (ttftCount < 10) return -1;
        long[] copy = java.util.Arrays.copyOf(ttftSamples, ttftCount);
        java.util.Arrays.sort(copy);
        int idx = (int) Math.ceil(percentile / 100.0 * ttftCount) - 1;
        return copy[Math.max(0, Math.min(ttftCount - 1, idx))];
    }

    public synchronized Snapshot snapshot() {
        long now = clock.getAsLong();
        State shown = state == State.OPEN && now - openUntil >= 0 ? State.HALF_OPEN : state;
        return new Snapshot(target, shown, ceilMillis(cooldownUntil - now),
                state == State.OPEN ? ceilMillis(openUntil - now) : 0,
                ewmaTtft, ewmaLatency, inFlight, maxConcurrency, consecutiveFailures,
                recentCount == 0 ? 0 : (double) recentFailures / recentCount, rateWait(now, 1) / 1_000_000);
    }

    /** Rounded up: a target still blocked for 0.4ms must not show (or be labelled) as not blocked. */
    private static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    private void open(long now) {
        state = State.OPEN;
        openUntil = now + openForNanos;
    }

    private void record(boolean failed) {
        if (recentCount == recent.length) {
            if (recent[recentPos]) recentFailures--;
        } else {
            recentCount++;
        }
        recent[recentPos] = failed;
        if (failed) recentFailures++;
        recentPos = (recentPos + 1) % recent.length;
    }

    private static double ewma(double prev, double sample) {
        return Double.isNaN(prev) ? sample : prev + ALPHA * (sample - prev);
    }
}
