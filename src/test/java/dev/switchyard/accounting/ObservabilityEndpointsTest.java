package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.provider.ProviderRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Who may read {@code /metrics} and {@code /admin/latency}, and what the latter returns. */
class ObservabilityEndpointsTest {
    static final String ADMIN = "admin-secret";
    static final String KEY = "sk-endpoints";
    static final String YAML = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              %s
              keys: [{ name: app, key: %s }]
            providers:
              steady:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 }
            models:
              chat: { targets: [steady/sim-medium] }
            %s
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    static String yaml(String admin, String observability) {
        return YAML.formatted(admin == null ? "" : "admin_key: " + admin, KEY, observability);
    }

    @Test
    void metricsNeedTheAdminKeyWhenOneIsConfigured() throws Exception {
        try (ObservedGateway gw = ObservedGateway.start(yaml(ADMIN, ""))) {
            assertThat(gw.get("/metrics", null).statusCode()).isEqualTo(401);
            assertThat(gw.get("/metrics", KEY).statusCode()).isEqualTo(401);
            assertThat(gw.get("/metrics", ADMIN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsPublicOpensThemOnPurpose() throws Exception {
        try (ObservedGateway gw = ObservedGateway.start(yaml(ADMIN, "observability: { metrics_public: true }"))) {
            assertThat(gw.get("/metrics", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnAdminKeyMetricsArePublic() throws Exception {
        try (ObservedGateway gw = ObservedGateway.start(yaml(null, ""))) {
            assertThat(gw.get("/metrics", null).statusCode()).isEqualTo(200);
            // while the admin API stays off
            assertThat(gw.get("/admin/latency", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void latencyPercentilesAsJson() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        try (ObservedGateway gw = ObservedGateway.start(yaml(ADMIN, ""), clock::get, null)) {
            for (int i = 0; i < 3; i++) {
                assertThat(gw.post("/v1/chat/completions", KEY, "{\"model\":\"chat\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
            }
            gw.awaitRecorded(3);
            assertThat(gw.get("/admin/latency", null).statusCode()).isEqualTo(401);
            assertThat(gw.get("/admin/latency?window=2m", ADMIN).statusCode()).isEqualTo(400);

            JsonNode one = JSON.readTree(gw.get("/admin/latency?window=1m", ADMIN).body());
            assertThat(one.path("window").asText()).isEqualTo("1m");
            assertThat(one.path("unit").asText()).isEqualTo("ms");
            JsonNode model = one.path("models").path("chat");
            assertThat(model.path("latency").path("count").asLong()).isEqualTo(3);
            assertThat(model.path("ttft").path("count").asLong()).isEqualTo(3);
            assertThat(model.path("latency").path("p99").asDouble()).isPositive();
            assertThat(model.path("latency").path("p50").asDouble()).isLessThanOrEqualTo(model.path("latency").path("p99").asDouble());
            assertThat(one.path("providers").path("steady").path("latency").path("count").asLong()).isEqualTo(3);

            clock.addAndGet(120_000);
            JsonNode later = JSON.readTree(gw.get("/admin/latency?window=1m", ADMIN).body());
            assertThat(later.path("models").path("chat").path("latency").path("count").asLong()).isZero();
            JsonNode five = JSON.readTree(gw.get("/admin/latency?window=5m", ADMIN).body());
            assertThat(five.path("models").path("chat").path("latency").path("count").asLong()).isEqualTo(3);
            JsonNode dflt = JSON.readTree(gw.get("/admin/latency", ADMIN).body());
            assertThat(dflt.path("window").asText()).isEqualTo("5m");
        }
    }

    @Test
    void observabilityConfigIsValidated() throws Exception {
        ConfigLoader loader = new ConfigLoader(ProviderRegistry.standard(), n -> null);
        assertThat(loader.parse(yaml(ADMIN, "observability: { metrics_public: true, otlp_endpoint: \"http://127.0.0.1:4318/\" }"), "t"))
                .satisfies(c -> {
                    assertThat(c.metricsPublic()).isTrue();
                    assertThat(c.otlpEndpoint()).isEqualTo("http://127.0.0.1:4318");
                });
        assertThat(loader.parse(yaml(ADMIN, ""), "t").metricsPublic()).isFalse();
        assertThatThrownBy(() -> loader.parse(yaml(ADMIN, "observability: { otlp_endpoint: \"collector:4318\" }"), "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("observability.otlp_endpoint");
        assertThatThrownBy(() -> loader.parse(yaml(ADMIN, "observability: { metrics_public: maybe }"), "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("observability.metrics_public");
    }
}
