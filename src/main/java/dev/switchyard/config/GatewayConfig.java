package dev.switchyard.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration: an immutable snapshot, swapped atomically on reload.
 *
 * @param otlpEndpoint  OTLP/HTTP collector base URL for traces, or null (tracing off)
 * @param metricsPublic {@code /metrics} is served without the admin key even when one is configured
 */
public record GatewayConfig(
        Server server,
        Auth auth,
        Map<String, ProviderConfig> providers,
        Map<String, ModelRoute> models,
        Routing routing,
        Map<String, PriceOverride> priceOverrides,
        Store store,
        String otlpEndpoint,
        boolean metricsPublic) {

    /** Without {@code observability.metrics_public} (false: /metrics needs the admin key when there is one). */
    public GatewayConfig(Server server, Auth auth, Map<String, ProviderConfig> providers, Map<String, ModelRoute> models,
            Routing routing, Map<String, PriceOverride> priceOverrides, Store store, String otlpEndpoint) {
        this(server, auth, providers, models, routing, priceOverrides, store, otlpEndpoint, false);
    }

    /** @param corsOrigins browser origins allowed to call the gateway (CORS); empty = CORS off */
    public record Server(String host, int port, long maxBodyBytes, Duration shutdownGrace, List<String> corsOrigins) {
        public Server(String host, int port, long maxBodyBytes, Duration shutdownGrace) {
            this(host, port, maxBodyBytes, shutdownGrace, List.of());
        }

        /** The settings that need a restart (CORS is read per request). */
        public Server withoutCors() {
            return new Server(host, port, maxBodyBytes, shutdownGrace, List.of());
        }

        public Server withPort(int p) {
            return new Server(host, p, maxBodyBytes, shutdownGrace, corsOrigins);
        }
    }

    public record Auth(Secret adminKey, List<ClientKeyConfig> keys, boolean allowAnonymous) {}

    /**
     * @param waitUpTo when every target is down, how long to wait for the soonest to recover before a 503
     * @param deadline overall limit for one request across all its attempts
     * @param cooldown how long a 429 without a retry hint keeps a target out of rotation
     */
    public record Routing(boolean allowDirect, Duration waitUpTo, Duration deadline, Breaker breaker, Duration cooldown) {
        public static final Routing DEFAULT = new Routing(false, Duration.ZERO, Duration.ofMinutes(10), Breaker.DEFAULT, Duration.ofSeconds(1));
    }

    /** Circuit-breaker settings; see {@code resilience.BreakerPolicy}. */
    public record Breaker(int consecutiveFailures, double errorRate, int window, Duration openFor, Duration maxOpenFor) {
        public static final Breaker DEFAULT = new Breaker(5, 0.5, 20, Duration.ofSeconds(15), Duration.ofMinutes(5));
    }

    /** USD per million tokens; null fields fall back to the catalog. */
    public record PriceOverride(Double inputPerMtok, Double outputPerMtok, Double cacheReadPerMtok, Double cacheWritePerMtok) {}

    public record Store(String url, Duration retention) {}
}
