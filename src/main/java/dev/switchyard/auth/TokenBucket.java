package dev.switchyard.auth;

/**
 * A token bucket with OpenAI's rate-limit semantics: {@code capacity} per minute, refilled continuously;
 * "reset" is the time until the bucket is full again. Balance may go negative when a reservation is
 * reconciled upward (a request used more tokens than estimated): later requests wait for it to refill.
 * Also used for per-target caps ({@code resilience.TargetHealth}).
 */
public final class TokenBucket {
    private final long capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(long capacityPerMinute, long nowNanos) {
        this.capacity = capacityPerMinute;
        this.perNano = capacityPerMinute / 60e9;
        this.tokens = capacityPerMinute;
        this.last = nowNanos;
    }

    private void refill(long now) {
        long dt = now - last;
        if (dt > 0) {
            tokens = Math.min(capacity, tokens + dt * perNano);
            last = now;
        }
    }

    /** Takes {@code n} if available (a request larger than the capacity is allowed from a full bucket). */
    public synchronized boolean tryTake(long n, long now) {
        refill(now);
        if (tokens >= n || (tokens >= capacity && n > capacity)) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Adjusts a reservation: positive {@code delta} takes more, negative gives back. */
    public synchronized void adjust(long delta, long now) {
        refill(now);
        tokens = Math.min(capacity, tokens - delta);
    }

    public synchronized long remaining(long now) {
        refill(now);
        return Math.max(0, (long) Math.floor(tokens));
    }

    /** Nanoseconds until {@code n} tokens are available. */
    public synchronized long nanosUntil(long n, long now) {
        refill(now);
        double need = Math.min(n, capacity) - tokens;
        return need <= 0 ? 0 : (long) Math.ceil(need / perNano);
    }

    /** Nanoseconds until the bucket is full. */
    public synchronized long nanosUntilFull(long now) {
        refill(now);
        return (long) Math.ceil((capacity - tokens) / perNano);
    }

    public long capacity() {
        return capacity;
    }
}
