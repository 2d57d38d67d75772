package dev.switchyard.accounting.metrics;

import dev.switchyard.accounting.Attempts;
import dev.switchyard.accounting.CostSource;
import dev.switchyard.accounting.LabelDirectory;
import dev.switchyard.accounting.LabelDirectory.TargetLabels;
import dev.switchyard.model.Operation;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Records every finished request into Micrometer meters: requests, tokens, cost, latency and TTFT
 * histograms, attempts, failovers and retries. Runs on the event loop that finished the request, so it
 * only reads pre-resolved meters and increments them. Also hosts the registration points for gauges other
 * parts own (circuit breakers, the ledger queue) and binds the JVM meters.
 */
public final class GatewayMetrics implements Consumer<ExchangeOutcome>, AutoCloseable {
    /** Breaker states as exposed: one gauge per state, 1 for the current one (a Prometheus state set). */
    public static final List<String> BREAKER_STATES = List.of("closed", "half_open", "open");

    /** Removes what a {@code register…} call added. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final MeterRegistry registry;
    private final LabelDirectory labels;
    private final CostSource costs;
    private final RequestMeterCache requests;
    private final AttemptMeters attempts;
    private final Timer overhead;
    private final HttpServerMeters http;
    /** FunctionCounter holds its state object weakly: keep registered suppliers reachable. */
    private final List<Object> held = new ArrayList<>();

    public GatewayMetrics(MeterRegistry registry, LabelDirectory labels, CostSource costs) {
        this.registry = registry;
        this.labels = labels;
        this.costs = costs;
        Operation[] ops = Operation.values();
        String[] opLabels = new String[ops.length];
        for (int i = 0; i < ops.length; i++) opLabels[i] = ops[i].name().toLowerCase(Locale.ROOT);
        this.requests = new RequestMeterCache(registry, opLabels);
        this.attempts = new AttemptMeters(registry);
        this.overhead = Timer.builder(MeterNames.OVERHEAD).description("Time spent in the gateway itself, upstream waiting excluded")
                .serviceLevelObjectives(MeterNames.OVERHEAD_BUCKETS).register(registry);
        this.http = new HttpServerMeters(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new PolledGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records with the cost the {@link CostSource} gives. */
    @Override
    public void accept(ExchangeOutcome o) {
        record(o, costs.costUsd(o));
    }

    /** Records with a cost already computed (by the ledger), or null when unknown. */
    public void record(ExchangeOutcome o, Double costUsd) {
        int op = o.operation() == null ? 0 : o.operation().ordinal();
        TargetLabels target = labels.target(o.target());
        boolean broken = o.truncated() && o.status() == 200;
        requests.get(op, labels.model(o.publicModel()), target, o.status(), broken)
                .record(o.totalNanos(), o.ttftNanos(), o.usage(), costUsd, costs != CostSource.NONE);
        overhead.record(o.overheadNanos(), TimeUnit.NANOSECONDS);
        recordAttempts(o.attempts());
    }

    private void recordAttempts(AttemptLog log) {
        if (log == null) return;
        List<AttemptLog.Attempt> all = log.attempts();
        int n = all.size();
        for (int i = 0; i < n; i++) {
            AttemptLog.Attempt a = all.get(i);
            // A committed stream that later broke is logged twice (at commit, at the break): one attempt.
            if (i + 1 < n && Attempts.same(a, all.get(i + 1))) continue;
            AttemptMeters.Counters c = attempts.get(labels.target(a.target()), a.outcome());
            c.attempts.increment();
            if (i + 1 < n) {
                if (a.target().equals(all.get(i + 1).target())) c.retried();
                else c.failedOver();
            }
        }
    }

    /**
     * Exposes a circuit breaker's state as {@code switchyard_circuit_breaker_state{provider,target,state}}.
     *
     * @param state the current state's name: closed, half_open / half-open, or open, any case
     */
    public Registration registerBreaker(String provider, String target, Supplier<String> state) {
        List<Meter> meters = new ArrayList<>(BREAKER_STATES.size());
        for (String s : BREAKER_STATES) {
            meters.add(Gauge.builder(MeterNames.BREAKER_STATE, () -> s.equals(normalize(state.get())) ? 1 : 0)
                    .description("1 for the breaker's current state, 0 for the others")
                    .tags("provider", provider, "target", target, "state", s).register(registry));
        }
        return () -> meters.forEach(registry::remove);
    }

    private static String normalize(String state) {
        return state == null ? "" : state.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Exposes a bounded queue (the ledger's): its depth, its capacity and how many items it refused.
     *
     * @param dropped a monotonic count of items dropped because the queue was full
     */
    public Registration registerQueue(String queue, IntSupplier depth, int capacity, LongSupplier dropped) {
        synchronized (held) {
            held.add(dropped);
        }
        List<Meter> meters = List.of(
                Gauge.builder(MeterNames.QUEUE_DEPTH, () -> depth.getAsInt()).description("Items waiting in the queue")
                        .tag("queue", queue).register(registry),
                Gauge.builder(MeterNames.QUEUE_CAPACITY, () -> capacity).description("How many items the queue holds at most")
                        .tag("queue", queue).register(registry),
                FunctionCounter.builder(MeterNames.QUEUE_DROPPED, dropped, d -> d.getAsLong())
                        .description("Items refused because the queue was full").tag("queue", queue).register(registry));
        return () -> {
            meters.forEach(registry::remove);
            synchronized (held) {
                held.remove(dropped);
            }
        };
    }

    /** Meters for the HTTP server, shared by every server instance. */
    public HttpServerMeters http() {
        return http;
    }

    @Override
    public void close() {
        // every meter reads its source when scraped: nothing to unsubscribe
    }
}
