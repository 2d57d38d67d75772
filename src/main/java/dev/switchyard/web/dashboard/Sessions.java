package dev.switchyard.web.dashboard;

import dev.switchyard.auth.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Dashboard sign-in sessions, kept in memory: a restart signs everyone out. A session id is 256 random bits
 * (base64url, 43 characters) and is only ever handed to the browser; the map is keyed by the id's SHA-256, so
 * neither a heap dump nor a timing difference in the lookup gives a usable id away. Each session remembers the
 * digest of the admin key it was opened with: when the admin key changes (a config reload), its sessions end.
 */
public final class Sessions {
    /** Sessions beyond this evict the one closest to expiry: sign-ins cannot grow the heap without bound. */
    static final int MAX_SESSIONS = 1024;

    /** @param adminKeyDigest SHA-256 of the admin key that opened it */
    record Session(byte[] adminKeyDigest, long expiresAtMillis) {}

    /** A new session as the browser gets it. */
    public record Issued(String id, long expiresAtMillis) {}

    private final Map<String, Session> byIdDigest = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;
    private final LongSupplier clockMillis;

    public Sessions(Duration ttl, LongSupplier clockMillis) {
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("session ttl must be positive");
        this.ttl = ttl;
        this.clockMillis = clockMillis;
    }

    public Duration ttl() {
        return ttl;
    }

    public Issued open(byte[] adminKeyDigest) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long expires = clockMillis.getAsLong() + ttl.toMillis();
        if (byIdDigest.size() >= MAX_SESSIONS) evict();
        byIdDigest.put(digest(id), new Session(adminKeyDigest.clone(), expires));
        return new Issued(id, expires);
    }

    /**
     * @param currentAdminKeyDigest the digest of the admin key configured now
     * @return the live session with this id, or null (unknown, expired, or opened with another admin key)
     */
    Session find(String id, byte[] currentAdminKeyDigest) {
        if (id == null || id.length() != 43) return null;
        String key = digest(id);
        Session s = byIdDigest.get(key);
        if (s == null) return null;
        if (s.expiresAtMillis() <= clockMillis.getAsLong() || !MessageDigest.isEqual(s.adminKeyDigest(), currentAdminKeyDigest)) {
            byIdDigest.remove(key, s);
            return null;
        }
        return s;
    }

    /** Ends the session; true when it existed. */
    boolean close(String id) {
        return id != null && byIdDigest.remove(digest(id)) != null;
    }

    int size() {
        return byIdDigest.size();
    }

    /** Drops expired sessions, and if still full the one that would expire first. Only on sign-in, so O(n) is fine. */
    private void evict() {
        long now = clockMillis.getAsLong();
        byIdDigest.entrySet().removeIf(e -> e.getValue().expiresAtMillis() <= now);
        while (byIdDigest.size() >= MAX_SESSIONS) {
            byIdDigest.entrySet().stream().min(Map.Entry.comparingByValue(
                            java.util.Comparator.comparingLong(Session::expiresAtMillis)))
                    .ifPresent(e -> byIdDigest.remove(e.getKey(), e.getValue()));
        }
    }

    private static String digest(String id) {
        return Base64.getEncoder().encodeToString(KeyRing.digest(id.getBytes(StandardCharsets.US_ASCII)));
    }
}
