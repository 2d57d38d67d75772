package dev.switchyard.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key requests-per-minute and tokens-per-minute limits. Tokens are estimated before the call and
 * reconciled with the real usage after it. State is keyed by key name and outlives config reloads;
 * a changed limit starts a fresh bucket.
 */
public final class RateLimits {
    /** What the {@code x-ratelimit-*} headers report; {@code -1} limits mean "no limit of that kind". */
    public record Status(long limitRequests, long remainingRequests, long resetRequestsNanos,
            long limitTokens, long remainingTokens, long resetTokensNanos) {}

    /** Outcome of an admission check. */
    public record Admission(boolean allowed, Status status, long retryAfterNanos, String limitName) {}

    private record Buckets(TokenBucket requests, TokenBucket tokens, Integer rpm, Integer tpm) {}

    private final ConcurrentHashMap<String, Buckets> byKey = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public RateLimits(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    private Buckets buckets(ClientIdentity who, long now) {
        Buckets b = byKey.get(who.name());
        if (b == null || !java.util.Objects.equals(b.rpm, who.rpm()) || !java.util.Objects.equals(b.tpm, who.tpm())) {
            Buckets fresh = new Buckets(who.rpm() == null ? null : new TokenBucket(who.rpm(), now),
                    who.tpm() == null ? null : new TokenBucket(who.tpm(), now), who.rpm(), who.tpm());
            byKey.put(who.name(), fresh);
            return fresh;
        }
        return b;
    }

    /** Admits one request estimated at {@code estimatedTokens}, or says which limit refused it and for how long. */
    public Admission admit(ClientIdentity who, long estimatedTokens) {
        if (who.rpm() == null && who.tpm() == null) return new Admission(true, null, 0, null);
        long now = clock.getAsLong();
        Buckets b = buckets(who, now);
        if (b.requests != null && !b.requests.tryTake(1, now)) {
            return new Admission(false, status(b, now), b.requests.nanosUntil(1, now), "requests per minute (" + who.rpm() + ")");
        }
        if (b.tokens != null && !b.tokens.tryTake(estimatedTokens, now)) {
            if (b.requests != null) b.requests.adjust(-1, now); // give the request slot back
            return new Admission(false, status(b, now), b.tokens.nanosUntil(estimatedTokens, now), "tokens per minute (" + who.tpm() + ")");
        }
        return new Admission(true, status(b, now), 0, null);
    }

    /** Corrects the token reservation once the real usage is known. */
    public void reconcile(ClientIdentity who, long estimatedTokens, long actualTokens) {
        Buckets b = byKey.get(who.name());
        if (b != null && b.tokens != null && actualTokens != estimatedTokens) b.tokens.adjust(actualTokens - estimatedTokens, clock.getAsLong());
    }

    private static Status status(Buckets b, long now) {
        return new Status(
                b.requests == null ? -1 : b.requests.capacity(), b.requests == null ? -1 : b.requests.remaining(now),
                b.requests == null ? 0 : b.requests.nanosUntilFull(now),
                b.tokens == null ? -1 : b.tokens.capacity(), b.tokens == null ? -1 : b.tokens.remaining(now),
                b.tokens == null ? 0 : b.tokens.nanosUntilFull(now));
    }
}
