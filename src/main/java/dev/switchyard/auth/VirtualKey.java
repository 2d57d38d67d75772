package dev.switchyard.auth;

import java.util.List;

/**
 * A client key created through the admin API. Only the SHA-256 digest of its secret is kept; the secret itself
 * is shown once, when the key is created.
 *
 * @param id         short, non-secret id; also part of the secret ({@code sk-sy-<id>-…}) so a leaked key can be traced
 * @param name       unique among all keys (static and runtime, revoked ones included): usage records carry it
 * @param digestHex  SHA-256 of the secret, hex
 * @param models     globs of public model names the key may use
 * @param rpm        requests per minute, null = no limit (likewise {@code tpm})
 * @param expiresAt  epoch ms after which the key stops working, or null
 * @param revokedAt  epoch ms when it was revoked, or null
 */
public record VirtualKey(String id, String name, String digestHex, List<String> models, Budget budget, Integer rpm,
        Integer tpm, KeyMetadata metadata, long createdAt, long updatedAt, Long expiresAt, Long revokedAt) {

    public VirtualKey {
        models = List.copyOf(models);
        budget = budget == null ? Budget.NONE : budget;
        metadata = metadata == null ? KeyMetadata.NONE : metadata;
    }

    /** What {@code sk-sy-<id>} its secret starts with: safe to show, enough to recognise the key. */
    public String displayPrefix() {
        return KeySecrets.PREFIX + id;
    }

    public boolean activeAt(long nowMillis) {
        return revokedAt == null && (expiresAt == null || nowMillis < expiresAt);
    }

    /** {@code active}, {@code revoked} or {@code expired}. */
    public String status(long nowMillis) {
        if (revokedAt != null) return "revoked";
        return expiresAt != null && nowMillis >= expiresAt ? "expired" : "active";
    }

    public ClientIdentity identity() {
        return ClientIdentity.of(name, models, rpm, tpm, budget);
    }
}
