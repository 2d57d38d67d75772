package dev.switchyard.accounting.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.CostSource;
import dev.switchyard.accounting.LabelDirectory;
import dev.switchyard.accounting.Outcomes;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final LabelDirectory labels = Outcomes.labels();
    GatewayMetrics metrics;

    @AfterEach
    void close() {
        if (metrics != null) metrics.close();
    }

    private double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void countsCostFromTheCostSourceAndUnpricedRequests() {
        CostSource costs = o -> o.target().startsWith("openai/") ? 0.0125 : null;
        metrics = new GatewayMetrics(registry, labels, costs);
        Usage usage = new Usage(1000, 200, 0, 50, 10);
        metrics.accept(Outcomes.chat("chat", "openai/gpt-4o", 200, usage, Outcomes.log("openai/gpt-4o", "200", 1, 30), 40));
        metrics.accept(Outcomes.chat("chat", "openai/gpt-4o", 200, usage, Outcomes.log("openai/gpt-4o", "200", 1, 30), 40));
        metrics.accept(Outcomes.chat("chat", "local/sim-small", 200, usage, Outcomes.log("local/sim-small", "200", 1, 30), 40));

        assertThat(counter("switchyard.cost.usd", "model", "chat", "provider", "openai")).isEqualTo(0.025);
        assertThat(counter("switchyard.cost.usd", "provider", "local")).isEqualTo(-1);
        assertThat(counter("switchyard.requests.unpriced", "provider", "local")).isEqualTo(1);
        assertThat(counter("switchyard.tokens", "provider", "openai", "type", "cached")).isEqualTo(400);
        assertThat(counter("switchyard.tokens", "provider", "openai", "type", "reasoning")).isEqualTo(20);
        assertThat(registry.scrape()).contains("switchyard_cost_usd_total{model=\"chat\",provider=\"openai\"} 0.025");
    }

    @Test
    void recordWithAComputedCostBypassesTheSource() {
        metrics = new GatewayMetrics(registry, labels, CostSource.NONE);
        metrics.record(Outcomes.chat("chat", "openai/gpt-4o", 200, Usage.NONE, Outcomes.log("openai/gpt-4o", "200", 1, 3), 4), 0.5);
        metrics.record(Outcomes.chat("chat", "openai/gpt-4o", 200, Usage.NONE, Outcomes.log("openai/gpt-4o", "200", 1, 3), 4), null);
        assertThat(counter("switchyard.cost.usd", "provider", "openai")).isEqualTo(0.5);
        // without a cost source nothing counts as unpriced: cost is simply not wired
        assertThat(registry.find("switchyard.requests.unpriced").counter()).isNull();
    }

    @Test
    void retriesFailoversAndTheLastAttemptAreTold() {
        metrics = new GatewayMetrics(registry, labels, CostSource.NONE);
        AttemptLog log = Outcomes.log("openai/gpt-4o", "timeout", 1, 100, "openai/gpt-4o", "502", 110, 5,
                "local/sim-small", "200", 120, 5);
        metrics.accept(Outcomes.chat("chat", "local/sim-small", 200, Usage.NONE, log, 130));
        assertThat(counter("switchyard.retries", "target", "openai/gpt-4o", "outcome", "timeout")).isEqualTo(1);
        assertThat(counter("switchyard.failovers", "target", "openai/gpt-4o", "outcome", "502")).isEqualTo(1);
        assertThat(counter("switchyard.attempts", "target", "local/sim-small", "outcome", "200")).isEqualTo(1);
        assertThat(registry.find("switchyard.failovers").tags("target", "local/sim-small").counter()).isNull();
    }

    @Test
    void aBrokenStreamIsOneAttemptAndATruncatedRequest() {
        metrics = new GatewayMetrics(registry, labels, CostSource.NONE);
        AttemptLog log = Outcomes.log("openai/gpt-4o", "200", 1, 20, "openai/gpt-4o", "dropped", 1, 500);
        metrics.accept(new ExchangeOutcome("r", "chat", "openai/gpt-4o", true, 200, null, log, 0, Outcomes.ms(510),
                Outcomes.ms(21), 1000, "stream_broken", true, Operation.CHAT, null));
        assertThat(counter("switchyard.attempts", "target", "openai/gpt-4o", "outcome", "dropped")).isEqualTo(1);
        assertThat(registry.find("switchyard.attempts").tags("outcome", "200").counter()).isNull();
        assertThat(counter("switchyard.streams.truncated", "model", "chat", "provider", "openai")).isEqualTo(1);
        assertThat(registry.find("gen_ai.server.request.duration").tags("error.type", "stream_broken").timer().count()).isEqualTo(1);
        assertThat(registry.find("gen_ai.server.time_to_first_token").timer().count()).isEqualTo(1);
    }

    @Test
    void labelsStayBoundedToTheConfiguration() {
        metrics = new GatewayMetrics(registry, labels, CostSource.NONE);
        for (int i = 0; i < 50; i++) {
            String direct = "openai/made-up-" + i;
            metrics.accept(Outcomes.chat(direct, direct, 200, Usage.NONE, Outcomes.log(direct, "200", 1, 2), 3));
        }
        metrics.accept(Outcomes.chat("openai/gpt-4o", "openai/gpt-4o", 200, Usage.NONE, Outcomes.log("openai/gpt-4o", "200", 1, 2), 3));
        assertThat(counter("switchyard.requests", "model", "other", "provider", "openai", "status", "200")).isEqualTo(50);
        assertThat(counter("switchyard.attempts", "target", "openai/other", "outcome", "200")).isEqualTo(50);
        // a configured target addressed directly keeps its name
        assertThat(counter("switchyard.requests", "model", "openai/gpt-4o", "provider", "openai")).isEqualTo(1);
        assertThat(registry.find("switchyard.requests").counters()).hasSize(2);
    }

    @Test
    void anOutcomeWithNoTargetCountsUnderNone() {
        metrics = new GatewayMetrics(registry, labels, CostSource.NONE);
        metrics.accept(Outcomes.chat("chat", null, 400, null, new AttemptLog(), 1));
        assertThat(counter("switchyard.requests", "model", "chat", "provider", "none", "status", "400")).isEqualTo(1);
        assertThat(registry.find("gen_ai.server.request.duration").tags("error.type", "400").timer().count()).isEqualTo(1);
    }

    @Test
    void meterBundlesAreResolvedOncePerKey() {
        RequestMeterCache cache = new RequestMeterCache(registry, new String[] {"chat", "embeddings"});
        LabelDirectory.TargetLabels t = labels.target("openai/gpt-4o");
        RequestMeters a = cache.get(0, "chat", t, 200, false);
        assertThat(cache.get(0, "chat", t, 200, false)).isSameAs(a);
        assertThat(cache.get(0, "chat", t, 503, false)).isNotSameAs(a);
        assertThat(cache.get(0, "chat", t, 200, true)).isNotSameAs(a);
        assertThat(cache.get(1, "chat", t, 200, false)).isNotSameAs(a);
    }
}
