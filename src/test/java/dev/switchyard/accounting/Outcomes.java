package dev.switchyard.accounting;

import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;

/** Hand-made outcomes and a small configuration for unit tests of the recorders. */
public final class Outcomes {
    public static final String YAML = """
            server: { host: 127.0.0.1, port: 0 }
            auth: { allow_anonymous: true }
            providers:
              openai: { type: openai, api_key: sk-x, base_url: "https://api.example.test:8443/v1" }
              local: { type: simulated }
            models:
              chat:
                targets: [openai/gpt-4o, local/sim-small]
                retries: { attempts: 1, backoff: 1ms }
              embed:
                targets: [local/sim-embed]
            routing: { allow_direct: true }
            """;

    private Outcomes() {}

    public static GatewayConfig config() {
        try {
            return new ConfigLoader(ProviderRegistry.standard(), n -> null).parse(YAML, "test");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static LabelDirectory labels() {
        return dev.switchyard.app.Observability.labels(config(), ProviderRegistry.standard());
    }

    /** A successful non-streaming chat answered by {@code target} after the given attempts. */
    public static ExchangeOutcome chat(String model, String target, int status, Usage usage, AttemptLog log, long totalMillis) {
        return new ExchangeOutcome("req_1", model, target, false, status, usage, log, 1_700_000_000_000L,
                totalMillis * 1_000_000, 0, 100_000, status >= 400 ? "api_error" : null, false, Operation.CHAT, null);
    }

    /** Entries of (target, outcome, start offset ms, duration ms). */
    public static AttemptLog log(Object... entries) {
        AttemptLog log = new AttemptLog();
        for (int i = 0; i + 3 < entries.length; i += 4) {
            log.add((String) entries[i], (String) entries[i + 1], ms((Integer) entries[i + 2]), ms((Integer) entries[i + 3]), null);
        }
        return log;
    }

    public static long ms(long millis) {
        return millis * 1_000_000;
    }
}
