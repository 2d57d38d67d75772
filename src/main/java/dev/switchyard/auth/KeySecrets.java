package dev.switchyard.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * New client-key secrets: {@code sk-sy-<id>-<43 random characters>}. The fixed prefix makes a leaked key easy to
 * recognise (and to scan for); the 8-hex-digit id names the key without revealing anything; 256 random bits make
 * guessing pointless.
 */
public final class KeySecrets {
    public static final String PREFIX = "sk-sy-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** @param id the key's id; @param secret shown once; @param digestHex what is stored */
    public record Generated(String id, String secret, String digestHex) {
        @Override
        public String toString() {
            return "Generated[id=" + id + ", secret=<redacted>]";
        }
    }

    private KeySecrets() {}

    public static Generated generate() {
        byte[] idBytes = new byte[4];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + id + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new Generated(id, secret, digestHex(secret));
    }

    public static String digestHex(String secret) {
        return HexFormat.of().formatHex(KeyRing.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
