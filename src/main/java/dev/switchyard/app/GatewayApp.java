package dev.switchyard.app;

import dev.switchyard.accounting.CostSource;
import dev.switchyard.store.Ledger;
import dev.switchyard.web.RouteMount;
import dev.switchyard.web.UsageApi;
import dev.switchyard.web.dashboard.Dashboard;
import java.util.ArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.accounting.Budgets;
import dev.switchyard.accounting.CoarseClock;
import dev.switchyard.auth.KeyDirectory;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.store.AuditLog;
import dev.switchyard.store.KeyStore;
import dev.switchyard.store.LedgerDatabase;
import dev.switchyard.store.LedgerOptions;
import dev.switchyard.store.RuntimeConfigStore;
import dev.switchyard.store.SpendQueries;
import dev.switchyard.store.StoreUrl;
import dev.switchyard.web.AuditApi;
import dev.switchyard.web.ConfigApi;
import dev.switchyard.web.KeysApi;
import dev.switchyard.web.RuntimeConfigApi;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A whole Switchyard as {@code Main} runs it: the store opened first (runtime keys, runtime configuration and spend
 * live there), the effective configuration (file + runtime layer), accounting with budgets, the gateway with every
 * admin API, and the file watcher. Tests start it exactly like this.
 */
public final class GatewayApp {
    /**
     * How to start.
     *
     * @param file        the config file, or null to run {@code builtIn}
     * @param adjust      applied to every configuration (the command line's {@code --port})
     * @param ledger      ledger options, or null for the defaults of the configured store
     * @param watchMillis how often the file is checked for changes; 0 = never (reload through the admin API only)
     * @param outcomes    also told of every outcome (after accounting), e.g. for logging or tests
     * @param observability metrics, percentiles and tracing, or null; built before the app (its Vert.x reports to it)
     * @param costs       the ledger's cost for the metrics, bound once accounting is open
     */
    public record Options(Path file, String builtIn, ProviderRegistry registry, Function<String, String> env, int instances,
            UnaryOperator<GatewayConfig> adjust, LedgerOptions ledger, long watchMillis, Consumer<ExchangeOutcome> outcomes,
            Observability observability, DeferredCost costs) {

        public Options(Path file, String builtIn, ProviderRegistry registry, Function<String, String> env, int instances,
                UnaryOperator<GatewayConfig> adjust, LedgerOptions ledger, long watchMillis, Consumer<ExchangeOutcome> outcomes) {
            this(file, builtIn, registry, env, instances, adjust, ledger, watchMillis, outcomes, null, new DeferredCost());
        }

        public Options withObservability(Observability o) {
            return new Options(file, builtIn, registry, env, instances, adjust, ledger, watchMillis, outcomes, o, costs);
        }
    }

    /** A request's cost as the ledger computes it, for metrics that exist before accounting is opened. */
    public static final class DeferredCost implements CostSource {
        private volatile CostSource source = CostSource.NONE;

        void bind(CostSource s) {
            source = s;
        }

        @Override
        public Double costUsd(ExchangeOutcome outcome) {
            return source.costUsd(outcome);
        }
    }

    /** The store could not be read at startup. */
    public static final class StoreUnavailable extends Exception {
        StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Gateway gateway;
    private final Accounting accounting;
    private final ConfigReloader reloader;
    private final ConfigLayers layers;
    private final KeyDirectory keys;
    private final Budgets budgets;

    private GatewayApp(Gateway gateway, Accounting accounting, ConfigReloader reloader, ConfigLayers layers, KeyDirectory keys,
            Budgets budgets) {
        this.gateway = gateway;
        this.accounting = accounting;
        this.reloader = reloader;
        this.layers = layers;
        this.keys = keys;
        this.budgets = budgets;
    }

    /**
     * @throws ConfigException        the configuration (file + runtime layer) is invalid, or {@code store.url} is
     * @throws StoreUnavailable       the store cannot be read
     * @throws IllegalStateException  the servers could not start (e.g. the port is taken)
     */
    public static GatewayApp start(Vertx vertx, Options o) throws ConfigException, StoreUnavailable {
        ConfigLoader loader = new ConfigLoader(o.registry(), o.env());
        JsonNode tree = o.file() != null ? ConfigLoader.tree(o.file()) : ConfigLoader.tree(o.builtIn(), "built-in demo config");
        // An invalid file is reported before anything is opened. Only "no client keys" needs the store to decide:
        // keys created through the admin API count.
        try {
            loader.parse(tree);
        } catch (ConfigException strict) {
            try {
                loader.withRuntimeKeys(() -> true).parse(tree);
            } catch (ConfigException e) {
                throw strict;
            }
        }
        GatewayConfig.Store storeConfig = loader.store(tree);
        StoreUrl url;
        try {
            url = StoreUrl.parse(storeConfig.url());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("store.url: " + e.getMessage()));
        }
        Accounting accounting = Accounting.open(url, o.ledger() != null ? o.ledger() : LedgerOptions.defaults(url, storeConfig.retention()));
        try {
            LedgerDatabase db = accounting.ledger().database();
            KeyDirectory keys = new KeyDirectory();
            Budgets budgets = new Budgets(CoarseClock::millis, accounting::prices);
            ConfigLayers layers;
            try {
                keys.replaceAll(new KeyStore(db).all());
                budgets.load(new SpendQueries(db).load(System.currentTimeMillis()));
                layers = new ConfigLayers(loader, o.file(), o.builtIn(), new RuntimeConfigStore(db), keys, o.adjust());
            } catch (SQLException e) {
                throw new StoreUnavailable("the store (" + url.display() + ") cannot be read: " + e.getMessage()
                        + ". Runtime keys and configuration live there, so the gateway does not start without it.", e);
            }
            GatewayConfig config = layers.load();
            accounting.reprice(config);
            accounting.addRecordListener(budgets::record);
            AuditLog audit = new AuditLog(db);
            AtomicReference<Gateway> running = new AtomicReference<>();
            ConfigReloader reloader = new ConfigReloader(vertx, running::get, o.file(), layers::reloadFromFile);
            Consumer<ExchangeOutcome> outcomes = accounting.outcomes();
            UsageApi usage = accounting.usageApi();
            // breaker states come from the running gateway; the dashboard shows none until it has started
            Dashboard dashboard = new Dashboard(usage, () -> running.get() == null ? null : running.get().health());
            List<RouteMount> routes = new ArrayList<>(List.of(new ConfigApi(reloader, audit), usage, dashboard,
                    new KeysApi(new KeyStore(db), keys, budgets, audit), new RuntimeConfigApi(layers, audit), new AuditApi(audit)));
            Observability obs = o.observability();
            if (obs != null) {
                o.costs().bind(accounting.costSource());
                Ledger ledger = accounting.ledger();
                obs.metrics().registerQueue("ledger", () -> ledger.stats().queueDepth(), ledger.capacity(), () -> ledger.stats().dropped());
                routes.addAll(obs.routes());
                outcomes = outcomes.andThen(obs.outcomes());
            }
            if (o.outcomes() != null) outcomes = outcomes.andThen(o.outcomes());
            Gateway.Extensions ext = new Gateway.Extensions(routes, keys, budgets);
            Gateway g = Gateway.start(vertx, config, o.registry(), o.env(), o.instances(), outcomes, ext, accounting.costQuote())
                    .await(30, TimeUnit.SECONDS);
            running.set(g);
            layers.attach(running::get);
            g.onReload(accounting::reprice);
            if (o.watchMillis() > 0) reloader.watch(o.watchMillis());
            return new GatewayApp(g, accounting, reloader, layers, keys, budgets);
        } catch (ConfigException | StoreUnavailable | RuntimeException e) {
            accounting.close();
            throw e;
        } catch (Exception e) {
            accounting.close();
            throw new IllegalStateException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public Accounting accounting() {
        return accounting;
    }

    public ConfigReloader reloader() {
        return reloader;
    }

    public ConfigLayers layers() {
        return layers;
    }

    public KeyDirectory keys() {
        return keys;
    }

    public Budgets budgets() {
        return budgets;
    }

    /**
     * Stops watching, lets in-flight requests finish for up to {@code grace}, then writes out every queued usage
     * record and closes the store. Blocks: call it off the event loop (a shutdown hook, a test).
     */
    public void stop(Duration grace) {
        reloader.stop();
        try {
            gateway.shutdown(grace).await(grace.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(GatewayApp.class).warn("shutdown did not finish cleanly: {}", e.toString());
        }
        // after the last request has ended: write out every queued usage record
        accounting.close(Duration.ofSeconds(10));
    }
}
