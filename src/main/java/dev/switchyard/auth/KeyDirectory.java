package dev.switchyard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory index of runtime (admin API) keys that {@link KeyRing} consults on every request. Loaded from the
 * store at startup and updated by every change before the admin API answers, so a revocation takes effect for the
 * next request. Lookups never touch the database: they read an immutable map that changes are swapped in as
 * (copy-on-write; changes are rare, lookups constant).
 */
public final class KeyDirectory {
    private record Entry(byte[] digest, VirtualKey key, ClientIdentity identity) {}

    private volatile Map<String, Entry> byDigest = Map.of();
    private volatile Map<String, VirtualKey> byId = Map.of();

    /** Replaces everything (startup load). */
    public synchronized void replaceAll(Collection<VirtualKey> keys) {
        Map<String, Entry> d = new HashMap<>();
        Map<String, VirtualKey> i = new HashMap<>();
        for (VirtualKey k : keys) index(k, d, i);
        byDigest = Map.copyOf(d);
        byId = Map.copyOf(i);
    }

    /** Adds or replaces one key (create, update, revoke). */
    public synchronized void put(VirtualKey key) {
        Map<String, Entry> d = new HashMap<>(byDigest);
        Map<String, VirtualKey> i = new HashMap<>(byId);
        VirtualKey old = i.get(key.id());
        if (old != null) d.remove(digestKey(HexFormat.of().parseHex(old.digestHex())));
        index(key, d, i);
        byDigest = Map.copyOf(d);
        byId = Map.copyOf(i);
    }

    private static void index(VirtualKey k, Map<String, Entry> d, Map<String, VirtualKey> i) {
        byte[] digest = HexFormat.of().parseHex(k.digestHex());
        d.put(digestKey(digest), new Entry(digest, k, k.identity()));
        i.put(k.id(), k);
    }

    /**
     * @param digest SHA-256 of the presented secret
     * @return the caller when the digest belongs to a key that is neither revoked nor expired, else null
     */
    public ClientIdentity authenticate(byte[] digest, long nowMillis) {
        Entry e = byDigest.get(digestKey(digest));
        if (e == null || !MessageDigest.isEqual(e.digest, digest)) return null;
        return e.key.activeAt(nowMillis) ? e.identity : null;
    }

    public Optional<VirtualKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<VirtualKey> byName(String name) {
        return byId.values().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Every runtime key, revoked and expired ones included, oldest first. */
    public List<VirtualKey> all() {
        return byId.values().stream().sorted(Comparator.comparingLong(VirtualKey::createdAt).thenComparing(VirtualKey::id)).toList();
    }

    public boolean anyActive(long nowMillis) {
        for (VirtualKey k : byId.values()) if (k.activeAt(nowMillis)) return true;
        return false;
    }

    private static String digestKey(byte[] digest) {
        return new String(digest, StandardCharsets.ISO_8859_1);
    }
}
