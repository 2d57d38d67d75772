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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
    /** The client key of {@link #start(Vertx, String)}'s config. */
    public static final String CLIENT_KEY = "sk-switchyard-test";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Gateway gateway;
    private final List<ExchangeOutcome> outcomes;
    private final BlockingQueue<ExchangeOutcome> unread;
    private final Map<String, CompletableFuture<ExchangeOutcome>> byRequestId;
    private final List<OpenAIClient> clients = new CopyOnWriteArrayList<>();
    private volatile long clearedAtMillis;
    /** An SDK client with {@link #CLIENT_KEY}. */
    public final OpenAIClient client;

    private GatewayHarness(Vertx vertx, boolean ownsVertx, Gateway gateway, List<ExchangeOutcome> outcomes,
            BlockingQueue<ExchangeOutcome> unread, Map<String, CompletableFuture<ExchangeOutcome>> byRequestId) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.gateway = gateway;
        this.outcomes = outcomes;
        this.unread = unread;
        this.byRequestId = byRequestId;
        this.client = sdk(CLIENT_KEY);
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

    public static GatewayHarness start(String yaml) {
        return start(yaml, Map.of());
    }

    /**
     * Starts a gateway on the caller's Vert.x with a standard header (client key {@link #CLIENT_KEY},
     * direct addressing on) followed by {@code providersAndModels}: the {@code providers:} and {@code models:} sections.
     * For translation tests that share one gateway across many error cases, the breaker is made too lenient to
     * open: one test's 5xx must not change what the next test sees. Resilience tests configure their own.
     */
    public static GatewayHarness start(Vertx vertx, String providersAndModels) {
        String yaml = """
                server: { host: 127.0.0.1, port: 0 }
                auth:
                  keys:
                    - { name: test, key: %s }
                routing: { allow_direct: true, breaker: { consecutive_failures: 1000, error_rate: 1.0, window: 10000 } }
                """.formatted(CLIENT_KEY) + providersAndModels;
        return start(vertx, false, yaml, Map.of(), RoutingHooks.NONE);
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
        return start(Vertx.vertx(), true, yaml, env, hooks);
    }

    private static GatewayHarness start(Vertx vertx, boolean ownsVertx, String yaml, Map<String, String> env,
            RoutingHooks hooks) {
        GatewayConfig parsed;
        try {
            parsed = new ConfigLoader(ProviderRegistry.standard(), env::get).parse(yaml, "test.yaml");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        GatewayConfig.Server s = parsed.server();
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Server("127.0.0.1", 0, s.maxBodyBytes(), s.shutdownGrace(), s.corsOrigins()),
                parsed.auth(), parsed.providers(), parsed.models(), parsed.routing(), parsed.priceOverrides(),
                parsed.store(), parsed.otlpEndpoint());
        List<ExchangeOutcome> outcomes = new CopyOnWriteArrayList<>();
        BlockingQueue<ExchangeOutcome> unread = new LinkedBlockingQueue<>();
        Map<String, CompletableFuture<ExchangeOutcome>> byId = new ConcurrentHashMap<>();
        try {
            Gateway.Extensions ext = new Gateway.Extensions(List.of(), hooks.nanoClock(),
                    health -> new RoutingFacts(health, hooks.contextWindow(), hooks.pricePerMtok()));
            Gateway g = Gateway.start(vertx, config, ProviderRegistry.standard(), env::get, 1, o -> {
                outcomes.add(o);
                unread.add(o);
                byId.computeIfAbsent(o.requestId(), k -> new CompletableFuture<>()).complete(o);
            }, ext).await();
            return new GatewayHarness(vertx, ownsVertx, g, outcomes, unread, byId);
        } catch (RuntimeException e) {
            if (ownsVertx) vertx.close().await();
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

    /** The health record of a target the gateway has routed to. */
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
     * The next outcome not yet taken by this method, waiting up to 10 s for it. Outcomes of requests that started
     * before the last {@link #clearOutcomes()} are skipped: an earlier test's exchange may still be reporting.
     */
    public ExchangeOutcome outcome() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                ExchangeOutcome o = left <= 0 ? null : unread.poll(left, TimeUnit.NANOSECONDS);
                if (o == null) throw new AssertionError("no exchange outcome was reported");
                if (o.startEpochMillis() >= clearedAtMillis) return o;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Forgets outcomes not yet taken by {@link #outcome()}, and any of requests already started. */
    public void clearOutcomes() {
        clearedAtMillis = System.currentTimeMillis();
        unread.clear();
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
            if (ownsVertx) vertx.close().await();
        }
    }
}
