package dev.switchyard.config;

import java.time.Duration;

/**
 * Per-phase upstream timeouts. Any field may be null ("not set here"); {@link #orElse} layers a
 * model's override over its provider's defaults over the gateway defaults.
 *
 * @param connect    TCP + TLS connect
 * @param firstToken time from sending the request to the first content token
 * @param idle       longest allowed gap between two stream chunks
 * @param total      one attempt, start to end
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
    public static final Timeouts NONE = new Timeouts(null, null, null, null);
    public static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(600));

    public Timeouts orElse(Timeouts fallback) {
        return new Timeouts(
                connect != null ? connect : fallback.connect,
                firstToken != null ? firstToken : fallback.firstToken,
                idle != null ? idle : fallback.idle,
                total != null ? total : fallback.total);
    }

    static Timeouts read(ConfigNode n) {
        if (!n.expectObject()) return NONE;
        n.allowOnly(java.util.Set.of("connect", "first_token", "idle", "total"));
        return new Timeouts(n.duration("connect", null), n.duration("first_token", null),
                n.duration("idle", null), n.duration("total", null));
    }
}
