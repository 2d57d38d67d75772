package dev.switchyard.testkit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchyard.app.Gateway;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.resilience.RoutingFacts;
import dev.switchyard.resilience.TargetHealth;
import dev.switchyard.routing.Target;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A real {@link Gateway} on 127.0.0.1 and a free port, built from a YAML string exactly as the product
 * builds it ({@link ConfigLoader} over {@link ProviderRegistry#standard()}), with a test-supplied
 * environment for {@code env:NAME} values. It owns its Vert.x, so closing it tears down everything the
 * gateway created, and it collects every {@link ExchangeOutcome} the gateway reports.
 */
public final class GatewayHarness implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final List<ExchangeOutcome> outcomes;
    private final Map<String, CompletableFuture<ExchangeOutcome>> byRequestId;
    private final List<OpenAIClient> clients = new CopyOnWriteArrayList<>();

    private GatewayHarness(Vertx vertx, Gateway gateway, List<ExchangeOutcome> outcomes,
            Map<String, CompletableFuture<ExchangeOutcome>> byRequestId) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.outcomes = outcomes;
        this.byRequestId = byRequestId;
    }

    public static GatewayHarness start(String yaml) {
        return start(yaml, Map.of());
    }

    /**
     * What a test may plug into routing: the clock of breakers and cooldowns, and the catalog facts a price
     * catalog would supply (context windows in tokens, 0 = unknown; blended price per million tokens, NaN =
     * unknown).
     */
    public record RoutingHooks(LongSupplier nanoClock, ToLongFunction<Target> contextWindow, ToDoubleFunction<Target> pricePerMtok) {
        public static final RoutingHooks NONE = new RoutingHooks(System::nanoTime, t -> 0, t -> Double.NaN);

        public RoutingHooks clock(LongSupplier c) {
            return new RoutingHooks(c, contextWindow, pricePerMtok);
        }

        public RoutingHooks contextWindows(ToLongFunction<Target> w) {
            return new RoutingHooks(nanoClock, w, pricePerMtok);
        }

        public RoutingHooks prices(ToDoubleFunction<Target> p) {
            return new RoutingHooks(nanoClock, contextWindow, p);
        }
    }

    /**
     * Parses {@code yaml} (its {@code server.host}/{@code port} are replaced by 127.0.0.1:0) and starts
     * the gateway. An invalid config fails with every problem the loader found.
     */
    public static GatewayHarness start(String yaml, Map<String, String> env) {
        return start(yaml, env, RoutingHooks.NONE);
    }

    /** As {@link #start(String, Map)}, with routing's clock and catalog facts supplied by the test. */
    public static GatewayHarness start(String yaml, Map<String, String> env, RoutingHooks hooks) {
        GatewayConfig parsed;
        try {
            parsed = new ConfigLoader(ProviderRegistry.standard(), env::get).parse(yaml, "test.yaml");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        GatewayConfig.Server s = parsed.server();
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Server("127.0.0.1", 0, s.maxBodyBytes(), s.shutdownGrace()),
                parsed.auth(), parsed.providers(), parsed.models(), parsed.routing(), parsed.priceOverrides(),
                parsed.store(), parsed.otlpEndpoint());
        List<ExchangeOutcome> outcomes = new CopyOnWriteArrayList<>();
        Map<String, CompletableFuture<ExchangeOutcome>> byId = new ConcurrentHashMap<>();
        Vertx vertx = Vertx.vertx();
        try {
            Gateway.Extensions ext = new Gateway.Extensions(List.of(), hooks.nanoClock(),
                    health -> new RoutingFacts(health, hooks.contextWindow(), hooks.pricePerMtok()));
            Gateway g = Gateway.start(vertx, config, ProviderRegistry.standard(), env::get, 1, o -> {
                outcomes.add(o);
                byId.computeIfAbsent(o.requestId(), k -> new CompletableFuture<>()).complete(o);
            }, ext).await();
            return new GatewayHarness(vertx, g, outcomes, byId);
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
    }

    public int port() {
        return gateway.port();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Where an OpenAI SDK's base URL should point: {@code http://127.0.0.1:<port>/v1}. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    public Gateway gateway() {
        return gateway;
    }

    /** What the gateway knows about one target's health right now (breaker, cooldown, latency, in-flight). */
    public TargetHealth.Snapshot health(String targetId) {
        return gateway.health().all().stream().filter(h -> h.target().equals(targetId)).findFirst()
                .map(TargetHealth::snapshot)
                .orElseThrow(() -> new AssertionError("the gateway has no health record for " + targetId + " (never routed to)"));
    }

    /** Every outcome reported so far, in reporting order. */
    public List<ExchangeOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Completes when the exchange with this request id (see {@code x-request-id}) has been reported. */
    public CompletableFuture<ExchangeOutcome> outcome(String requestId) {
        return byRequestId.computeIfAbsent(requestId, k -> new CompletableFuture<>());
    }

    /**
     * The official OpenAI SDK pointed at this gateway. It does not retry (the gateway's failover is what
     * is under test) and is closed with the harness.
     */
    public OpenAIClient sdk(String apiKey) {
        OpenAIClient c = OpenAIOkHttpClient.builder()
                .baseUrl(openAiBaseUrl())
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        clients.forEach(OpenAIClient::close);
        try {
            gateway.shutdown(Duration.ofMillis(200)).await();
        } finally {
            vertx.close().await();
        }
    }
}
