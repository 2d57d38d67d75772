package dev.switchyard.app;

import dev.switchyard.accounting.CoarseClock;
import dev.switchyard.accounting.CostSource;
import dev.switchyard.accounting.LabelDirectory;
import dev.switchyard.accounting.latency.PercentileWindows;
import dev.switchyard.accounting.metrics.GatewayMetrics;
import dev.switchyard.accounting.metrics.HttpServerObserver;
import dev.switchyard.accounting.tracing.Tracing;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.web.LatencyEndpoint;
import dev.switchyard.web.MetricsEndpoint;
import dev.switchyard.web.RouteMount;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics, live percentiles and (when {@code observability.otlp_endpoint} is set) tracing, wired together:
 * one outcome consumer for {@link Gateway#start}, the routes to mount, and the Vert.x instance to run on (its
 * HTTP servers report to the HTTP server metrics). Each recorder is isolated, so a
 * bug in one never stops the others or reaches the request.
 */
public final class Observability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

    private final PrometheusMeterRegistry registry;
    private final GatewayMetrics metrics;
    private final PercentileWindows percentiles;
    private final Tracing tracing;
    private final Consumer<ExchangeOutcome> outcomes;

    private Observability(PrometheusMeterRegistry registry, GatewayMetrics metrics, PercentileWindows percentiles, Tracing tracing) {
        this.registry = registry;
        this.metrics = metrics;
        this.percentiles = percentiles;
        this.tracing = tracing;
        Consumer<ExchangeOutcome> all = isolated("metrics", metrics).andThen(isolated("percentiles", percentiles));
        this.outcomes = tracing == null ? all : all.andThen(isolated("tracing", tracing.tracer()));
    }

    /** From the configuration; tracing only when it names an OTLP endpoint. */
    public static Observability create(GatewayConfig config, ProviderRegistry providers, CostSource costs) {
        LabelDirectory labels = labels(config, providers);
        Tracing tracing = config.otlpEndpoint() == null ? null
                : Tracing.otlp(config.otlpEndpoint(), Observability.class.getPackage().getImplementationVersion(), labels);
        return create(config, providers, costs, CoarseClock::millis, tracing);
    }

    /** With an explicit clock and tracing pipeline (null = none); for tests. */
    public static Observability create(GatewayConfig config, ProviderRegistry providers, CostSource costs,
            LongSupplier clockMillis, Tracing tracing) {
        LabelDirectory labels = labels(config, providers);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), CoarseClock.MICROMETER);
        return new Observability(registry, new GatewayMetrics(registry, labels, costs),
                new PercentileWindows(labels, clockMillis), tracing);
    }

    public static LabelDirectory labels(GatewayConfig config, ProviderRegistry providers) {
        return new LabelDirectory(config, type -> providers.names().contains(type) ? providers.type(type).defaultBaseUrl() : null);
    }

    /** Everything a finished request feeds: compose after other consumers with {@code andThen}. */
    public Consumer<ExchangeOutcome> outcomes() {
        return outcomes;
    }

    /** {@code /metrics} and {@code /admin/latency}. */
    public List<RouteMount> routes() {
        List<RouteMount> r = new ArrayList<>();
        r.add(new MetricsEndpoint(registry::scrape));
        r.add(new LatencyEndpoint(percentiles));
        return r;
    }

    /**
     * A Vert.x instance whose HTTP servers report to the HTTP server metrics (through Vert.x's metrics SPI; only
     * HTTP server metrics are collected).
     */
    public Vertx newVertx(VertxOptions options) {
        options.setMetricsOptions(new MetricsOptions().setEnabled(true));
        return Vertx.builder().with(options).withMetrics(new HttpServerObserver(metrics.http())).build();
    }

    public Gateway.Extensions extensions() {
        return new Gateway.Extensions(routes());
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public PercentileWindows percentiles() {
        return percentiles;
    }

    /** The tracing pipeline, or null when tracing is off. */
    public Tracing tracing() {
        return tracing;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (tracing != null) tracing.close();
        metrics.close();
        registry.close();
    }

    private static Consumer<ExchangeOutcome> isolated(String what, Consumer<ExchangeOutcome> c) {
        return o -> {
            try {
                c.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("{} could not record request {}: {}", what, o.requestId(), e.toString(), e);
            }
        };
    }
}
