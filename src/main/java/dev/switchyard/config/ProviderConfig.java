package dev.switchyard.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * One configured upstream provider.
 *
 * @param name      how targets refer to it
 * @param type      adapter type or OpenAI-compatible preset name
 * @param baseUrl   null means "the type's default"
 * @param apiKey    null for providers that need none (ollama, vllm, simulated)
 * @param headers   extra static headers sent upstream (e.g. OpenAI-Organization)
 * @param options   type-specific settings (azure api_version, anthropic version, …) as plain strings
 * @param caFile    extra trusted CA (PEM) for private endpoints; system trust store otherwise
 * @param maxConnections per-provider connection pool size
 * @param maxConcurrency in-flight requests allowed per target of this provider; 0 = no cap
 * @param simulate  behaviour of a {@code simulated} provider; null for real ones
 * @param limits    requests/tokens per minute allowed on each of this provider's targets; {@link RateCap#NONE} = uncapped
 */
public record ProviderConfig(
        String name,
        String type,
        String baseUrl,
        Secret apiKey,
        Timeouts timeouts,
        Map<String, String> headers,
        Map<String, String> options,
        Path caFile,
        int maxConnections,
        int maxConcurrency,
        SimulationSpec simulate,
        RateCap limits) {

    /**
     * A per-target rate cap: the gateway stops sending to a target before the provider would answer 429.
     *
     * @param rpm requests per minute, 0 = no cap
     * @param tpm tokens per minute (estimated before the call, reconciled after), 0 = no cap
     */
    public record RateCap(int rpm, int tpm) {
        public static final RateCap NONE = new RateCap(0, 0);

        public boolean capped() {
            return rpm > 0 || tpm > 0;
        }
    }

    public ProviderConfig {
        limits = limits == null ? RateCap.NONE : limits;
    }

    /** Without a rate cap. */
    public ProviderConfig(String name, String type, String baseUrl, Secret apiKey, Timeouts timeouts,
            Map<String, String> headers, Map<String, String> options, Path caFile, int maxConnections, int maxConcurrency,
            SimulationSpec simulate) {
        this(name, type, baseUrl, apiKey, timeouts, headers, options, caFile, maxConnections, maxConcurrency, simulate, RateCap.NONE);
    }

    /** Without a concurrency cap. */
    public ProviderConfig(String name, String type, String baseUrl, Secret apiKey, Timeouts timeouts,
            Map<String, String> headers, Map<String, String> options, Path caFile, int maxConnections, SimulationSpec simulate) {
        this(name, type, baseUrl, apiKey, timeouts, headers, options, caFile, maxConnections, 0, simulate, RateCap.NONE);
    }

    /**
     * Header and option values are left out: they may carry credentials (an {@code api-key} header, a cloud
     * secret in options) that must not reach a log line or an exception.
     */
    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey=" + apiKey
                + ", timeouts=" + timeouts + ", headers=" + headers.keySet() + ", options=" + options.keySet()
                + ", caFile=" + caFile + ", maxConnections=" + maxConnections + ", maxConcurrency=" + maxConcurrency
                + ", simulate=" + simulate + ", limits=" + limits + "]";
    }
}
