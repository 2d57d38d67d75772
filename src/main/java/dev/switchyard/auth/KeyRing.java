package dev.switchyard.auth;

import dev.switchyard.config.ClientKeyConfig;
import dev.switchyard.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client keys, held only as SHA-256 digests. A presented key is hashed and looked up by digest, then
 * compared with {@link MessageDigest#isEqual} (constant time), so neither the lookup nor the comparison
 * leaks how much of a guess was right. Static keys come from the config; runtime keys (admin API) from a
 * {@link KeyDirectory} that outlives this ring, so a key created or revoked there counts at once.
 */
public final class KeyRing {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private record Entry(byte[] digest, ClientIdentity identity) {}

    private final Map<String, Entry> byDigest = new HashMap<>();
    private final boolean allowAnonymous;
    private final byte[] adminDigest;
    private final KeyDirectory runtime;
    private static final ClientIdentity ANONYMOUS = ClientIdentity.of("anonymous", List.of("*"));

    public KeyRing(GatewayConfig.Auth auth) {
        this(auth, new KeyDirectory());
    }

    public KeyRing(GatewayConfig.Auth auth, KeyDirectory runtime) {
        this.allowAnonymous = auth.allowAnonymous();
        this.runtime = runtime;
        for (ClientKeyConfig k : auth.keys()) {
            byte[] d = digest(k.key().reveal().getBytes(StandardCharsets.UTF_8));
            byDigest.put(new String(d, StandardCharsets.ISO_8859_1), new Entry(d, ClientIdentity.of(k.name(), k.models(), k.rpm(), k.tpm(),
                    Budget.ofUsd(k.usdPerDay(), k.usdPerMonth(), k.usdTotal()))));
        }
        this.adminDigest = auth.adminKey() == null ? null : digest(auth.adminKey().reveal().getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] digest(byte[] secret) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(secret);
    }

    /** @return the caller, or null when the key is missing or wrong (anonymous callers only when allowed and keyless) */
    public ClientIdentity authenticate(String presented) {
        if (presented == null || presented.isEmpty()) return allowAnonymous ? ANONYMOUS : null;
        byte[] d = digest(presented.getBytes(StandardCharsets.UTF_8));
        Entry e = byDigest.get(new String(d, StandardCharsets.ISO_8859_1));
        if (e != null) return MessageDigest.isEqual(e.digest, d) ? e.identity : null;
        return runtime.authenticate(d, System.currentTimeMillis());
    }

    public boolean adminEnabled() {
        return adminDigest != null;
    }

    /** Admin and client keys are never interchangeable: this checks the admin key only. */
    public boolean isAdmin(String presented) {
        if (adminDigest == null || presented == null || presented.isEmpty()) return false;
        return MessageDigest.isEqual(adminDigest, digest(presented.getBytes(StandardCharsets.UTF_8)));
    }
}
