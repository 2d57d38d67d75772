package dev.switchyard.app;

import dev.switchyard.accounting.ModelLimits;
import dev.switchyard.accounting.PriceBook;
import dev.switchyard.accounting.UsageRecorder;
import dev.switchyard.accounting.Budgets;
import dev.switchyard.auth.KeyDirectory;
import dev.switchyard.auth.KeyRing;
import dev.switchyard.auth.RateLimits;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.resilience.BreakerPolicy;
import dev.switchyard.resilience.CostQuote;
import dev.switchyard.resilience.FailoverExecutor;
import dev.switchyard.resilience.HealthRegistry;
import dev.switchyard.resilience.RoutingFacts;
import dev.switchyard.web.TargetsApi;
import dev.switchyard.routing.ModelCatalog;
import dev.switchyard.routing.ProviderRuntime;
import dev.switchyard.web.FrontState;
import dev.switchyard.web.GatewayServer;
import dev.switchyard.web.OpenAiFront;
import dev.switchyard.web.RouteMount;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the live state (config, catalog, keys) behind an atomic reference, one HTTP
 * server per event loop, and an orderly shutdown that lets in-flight requests and streams finish.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final ProviderRegistry registry;
    private final Function<String, String> env;
    private final AtomicReference<FrontState> state = new AtomicReference<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final Map<String, ProviderRuntime> runtimes = new LinkedHashMap<>();
    private volatile boolean ready;
    private volatile int port;
    private final Consumer<ExchangeOutcome> outcomes;
    private final List<RouteMount> extensions = new CopyOnWriteArrayList<>();
    private HealthRegistry health;
    private RoutingFacts facts;
    private final RateLimits rateLimits = new RateLimits(System::nanoTime);
    private KeyDirectory keys = new KeyDirectory();
    private Budgets budgets;
    private final List<Consumer<GatewayConfig>> reloadListeners = new CopyOnWriteArrayList<>();

    private final CostQuote costs;
    /** Prices for lowest-cost ordering; replaced on reload (overrides may change). */
    private volatile PriceBook prices;

    private Gateway(Vertx vertx, ProviderRegistry registry, Function<String, String> env, Consumer<ExchangeOutcome> outcomes,
            CostQuote costs) {
        this.vertx = vertx;
        this.registry = registry;
        this.env = env;
        this.outcomes = outcomes;
        this.costs = costs;
    }

    /**
     * Options for {@link #start}.
     *
     * @param routes    extra routes (admin, metrics, dashboard) mounted on every server
     * @param nanoClock the clock of breakers and cooldowns ({@code System::nanoTime}; tests pass one they move)
     * @param facts     what routing knows about targets beyond their health (context windows, prices), built
     *                  over the gateway's health registry; null = the bundled catalog's
     * @param keys      runtime client keys (admin API) the key ring consults besides the config's
     * @param budgets   budgets enforced at admission; null = not enforced
     */
    public record Extensions(List<RouteMount> routes, LongSupplier nanoClock, Function<HealthRegistry, RoutingFacts> facts,
            KeyDirectory keys, Budgets budgets) {
        public static final Extensions NONE = new Extensions(List.of());

        public Extensions(List<RouteMount> routes) {
            this(routes, System::nanoTime, null, new KeyDirectory(), null);
        }

        public Extensions(List<RouteMount> routes, LongSupplier nanoClock, Function<HealthRegistry, RoutingFacts> facts) {
            this(routes, nanoClock, facts, new KeyDirectory(), null);
        }

        public Extensions(List<RouteMount> routes, KeyDirectory keys, Budgets budgets) {
            this(routes, System::nanoTime, null, keys, budgets);
        }
    }

    /**
     * Starts a gateway on {@code config}; {@code instances} servers share the port, one per event loop.
     */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, ProviderRegistry registry,
            Function<String, String> env, int instances, Consumer<ExchangeOutcome> outcomes) {
        return start(vertx, config, registry, env, instances, outcomes, Extensions.NONE);
    }

    /** Prices non-streaming answers ({@code x-switchyard-cost-usd}) with the bundled catalog and the config's overrides. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, ProviderRegistry registry,
            Function<String, String> env, int instances, Consumer<ExchangeOutcome> outcomes, Extensions extensions) {
        return start(vertx, config, registry, env, instances, outcomes, extensions, UsageRecorder.quote(PriceBook.of(config)));
    }

    /** @param costs prices non-streaming answers for the cost header ({@link CostQuote#NONE}: no header) */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, ProviderRegistry registry,
            Function<String, String> env, int instances, Consumer<ExchangeOutcome> outcomes, Extensions extensions,
            CostQuote costs) {
        Gateway g = new Gateway(vertx, registry, env, outcomes, costs);
        g.extensions.addAll(extensions.routes());
        g.keys = extensions.keys();
        g.budgets = extensions.budgets();
        GatewayConfig.Breaker b = config.routing().breaker();
        g.health = new HealthRegistry(new BreakerPolicy(b.consecutiveFailures(), b.errorRate(), b.window(), b.openFor(), b.maxOpenFor()),
                extensions.nanoClock());
        g.prices = PriceBook.of(config);
        g.facts = extensions.facts() != null ? extensions.facts().apply(g.health) : g.catalogFacts();
        g.extensions.add(new TargetsApi(g.health));
        FrontState first = g.build(config);
        for (ProviderConfig pc : config.providers().values()) g.runtimes.put(pc.name(), first.catalog().runtime(pc.name()));
        g.state.set(first);
        return g.listen(config, Math.max(1, instances)).map(v -> {
            g.ready = true;
            return g;
        });
    }

    /** Builds live state, reusing the runtime (and connection pool) of every provider whose config is unchanged. */
    private FrontState build(GatewayConfig config) {
        Map<String, ProviderRuntime> live = new LinkedHashMap<>();
        for (ProviderConfig pc : config.providers().values()) {
            ProviderRuntime old = runtimes.get(pc.name());
            if (old != null && old.config().equals(pc)) {
                live.put(pc.name(), old);
                continue;
            }
            ProviderAdapter adapter = registry.adapter(pc);
            Timeouts timeouts = pc.timeouts().orElse(Timeouts.DEFAULTS);
            live.put(pc.name(), new ProviderRuntime(pc, adapter, registry.transport(vertx, pc, timeouts, env), timeouts));
        }
        return new FrontState(config, new ModelCatalog(config, live), new KeyRing(config.auth(), keys));
    }

    /**
     * Swaps in a new configuration atomically: requests already running finish on the old state (their plans
     * hold the old runtimes), new ones use the new. Connection pools of removed or changed providers are
     * retired once their in-flight requests end. Serialised, so two reloads never interleave.
     *
     * @return a one-line summary of what changed
     */
    public synchronized String reload(GatewayConfig config) {
        GatewayConfig before = state.get().config();
        FrontState next = build(config);
        Map<String, ProviderRuntime> retired = new LinkedHashMap<>(runtimes);
        runtimes.clear();
        for (ProviderConfig pc : config.providers().values()) {
            ProviderRuntime r = next.catalog().runtime(pc.name());
            runtimes.put(pc.name(), r);
            if (retired.get(pc.name()) == r) retired.remove(pc.name());
        }
        prices = PriceBook.of(config);
        state.set(next);
        for (ProviderRuntime r : retired.values()) r.transport().retire(r.timeouts().total());
        if (!before.server().withoutCors().equals(config.server().withoutCors())) {
            LOG.warn("server.* settings changed; they take effect only after a restart (server.cors applies at once)");
        }
        for (Consumer<GatewayConfig> l : reloadListeners) l.accept(config);
        return "providers " + before.providers().size() + "→" + config.providers().size() + ", models "
                + before.models().size() + "→" + config.models().size() + ", " + retired.size() + " provider pool(s) retired";
    }

    /** Context windows and prices from the bundled catalog (prices follow config reloads: overrides may change). */
    private RoutingFacts catalogFacts() {
        ModelLimits limits = ModelLimits.bundled();
        return new RoutingFacts(health,
                t -> limits.contextWindow(t.provider().config().type(), t.upstreamModel()).orElse(0),
                t -> prices.blendedPerMtok(t.id()));
    }

    private Future<Void> listen(GatewayConfig config, int instances) {
        FailoverExecutor executor = new FailoverExecutor(vertx, outcomes, facts, costs);
        OpenAiFront front = new OpenAiFront(state::get, executor, rateLimits, budgets);
        String host = config.server().host();
        // The first server fixes the port (it may be 0 = any free port); the others share it.
        return vertx.deployVerticle(new FrontVerticle(front, host, config.server().port()))
                .compose(id -> instances <= 1 ? Future.succeededFuture(id)
                        : vertx.deployVerticle(() -> new FrontVerticle(front, host, port),
                                new DeploymentOptions().setInstances(instances - 1)))
                .mapEmpty();
    }

    /** One server on its own event loop. */
    private final class FrontVerticle extends VerticleBase {
        private final OpenAiFront front;
        private final String host;
        private final int wantedPort;

        FrontVerticle(OpenAiFront front, String host, int wantedPort) {
            this.front = front;
            this.host = host;
            this.wantedPort = wantedPort;
        }

        @Override
        public Future<?> start() {
            Router router = GatewayServer.router(vertx, front, () -> ready, extensions, state::get);
            return GatewayServer.listen(vertx, router, host, wantedPort).onSuccess(s -> {
                servers.add(s);
                port = s.actualPort();
            });
        }
    }

    /** Told of every configuration {@link #reload} swaps in, after the swap (e.g. to re-price accounting). */
    public void onReload(Consumer<GatewayConfig> listener) {
        reloadListeners.add(listener);
    }

    public int port() {
        return port;
    }

    public FrontState state() {
        return state.get();
    }

    /** The live state, for extensions that read it per request. */
    public java.util.function.Supplier<FrontState> stateSupplier() {
        return state::get;
    }

    /** Breaker, cooldown and latency state of every target; outlives config reloads. */
    public HealthRegistry health() {
        return health;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Stops accepting, lets in-flight requests and streams finish for up to {@code grace}, then closes
     * upstream pools.
     */
    public Future<Void> shutdown(Duration grace) {
        ready = false;
        Promise<Void> done = Promise.promise();
        Future.join(servers.stream().map(s -> s.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS)).toList())
                .onComplete(ar -> {
                    runtimes.values().forEach(r -> r.transport().close());
                    done.complete();
                });
        return done.future();
    }

    static void logOutcome(ExchangeOutcome o) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} model={} target={} status={} stream={} attempts=[{}] total={}ms", o.requestId(), o.publicModel(),
                    o.target(), o.status(), o.stream(), o.attempts().header(), o.totalNanos() / 1_000_000);
        }
    }
}
