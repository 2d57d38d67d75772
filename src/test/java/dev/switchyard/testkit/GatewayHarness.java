package dev.switchyard.testkit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchyard.app.Gateway;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway on an ephemeral loopback port, configured from YAML, with the official
 * {@code openai-java} SDK as its client (no retries, so every failure is the gateway's own answer).
 * No proxy variables are read: all traffic stays on 127.0.0.1.
 */
public final class GatewayHarness implements AutoCloseable {
    public static final String CLIENT_KEY = "sk-switchyard-test";

    public final Vertx vertx;
    public final Gateway gateway;
    public final OpenAIClient client;
    private final BlockingQueue<ExchangeOutcome> outcomes;

    private GatewayHarness(Vertx vertx, Gateway gateway, OpenAIClient client, BlockingQueue<ExchangeOutcome> outcomes) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.client = client;
        this.outcomes = outcomes;
    }

    /** @param providersAndModels the {@code providers:} and {@code models:} sections of the config */
    public static GatewayHarness start(Vertx vertx, String providersAndModels) {
        String yaml = """
                server: { host: 127.0.0.1, port: 0 }
                auth:
                  keys:
                    - { name: test, key: %s }
                routing: { allow_direct: true }
                """.formatted(CLIENT_KEY) + providersAndModels;
        ProviderRegistry registry = ProviderRegistry.standard();
        GatewayConfig config;
        try {
            config = new ConfigLoader(registry, name -> null).parse(yaml, "test.yaml");
        } catch (Exception e) {
            throw new AssertionError("test config rejected: " + e.getMessage(), e);
        }
        BlockingQueue<ExchangeOutcome> outcomes = new LinkedBlockingQueue<>();
        Gateway g = Gateway.start(vertx, config, registry, name -> null, 1, outcomes::add).await();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + g.port() + "/v1")
                .apiKey(CLIENT_KEY).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
        return new GatewayHarness(vertx, g, client, outcomes);
    }

    /** The next finished exchange as accounting sees it. */
    public ExchangeOutcome outcome() {
        try {
            ExchangeOutcome o = outcomes.poll(10, TimeUnit.SECONDS);
            if (o == null) throw new AssertionError("no exchange outcome was reported");
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public void clearOutcomes() {
        outcomes.clear();
    }

    @Override
    public void close() {
        client.close();
        gateway.shutdown(Duration.ofSeconds(1)).await();
    }
}
