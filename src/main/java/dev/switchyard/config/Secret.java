package dev.switchyard.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value (API key, client key). {@link #toString()} never reveals it, so a secret that
 * ends up in a log line, an exception or a config dump prints as a redaction marker.
 */
public final class Secret {
    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    public static Secret of(String value, String source) {
        return new Secret(value, source);
    }

    /** The raw value, for signing upstream requests only. */
    public String reveal() {
        return value;
    }

    /** Where it came from, e.g. {@code env:OPENAI_API_KEY} or {@code inline}: safe to show. */
    public String source() {
        return source;
    }

    /** Constant-time comparison, so a key check leaks nothing through timing. */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate);
    }

    /** Equal when value and source are: lets a reload tell an unchanged provider from a changed one. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                other.value.getBytes(StandardCharsets.UTF_8)) && source.equals(other.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "<redacted:" + source + ">";
    }
}
