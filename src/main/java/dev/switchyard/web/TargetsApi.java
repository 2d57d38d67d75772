package dev.switchyard.web;

import dev.switchyard.resilience.HealthRegistry;
import dev.switchyard.resilience.TargetHealth;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /admin/targets}: each configured target's breaker state, cooldown, EWMA latency and in-flight count. */
public final class TargetsApi implements RouteMount {
    private final HealthRegistry health;

    public TargetsApi(HealthRegistry health) {
        this.health = health;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        router.get("/admin/targets").handler(new AdminGuard(state)).handler(ctx -> AdminGuard.json(ctx, g -> write(g, health, state.get())));
    }

    /** The {@code /admin/targets} document; the dashboard serves it too. */
    public static void write(JsonGenerator g, HealthRegistry health, FrontState state) throws IOException {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (RoutePlan p : state.catalog().plans().values()) {
            for (Target t : p.targets()) targets.putIfAbsent(t.id(), t);
        }
        g.writeStartObject();
        g.writeArrayFieldStart("targets");
        for (Target t : targets.values()) {
            TargetHealth.Snapshot s = health.of(t.id(), t.provider().config().maxConcurrency()).snapshot();
            g.writeStartObject();
            g.writeStringField("target", t.id());
            g.writeStringField("provider", t.provider().name());
            g.writeStringField("model", t.upstreamModel());
            g.writeStringField("breaker", s.state().name().toLowerCase());
            g.writeNumberField("open_remaining_ms", s.openRemainingMillis());
            g.writeNumberField("cooldown_remaining_ms", s.cooldownRemainingMillis());
            writeNumber(g, "ewma_ttft_ms", s.ewmaTtftMillis());
            writeNumber(g, "ewma_latency_ms", s.ewmaLatencyMillis());
            g.writeNumberField("in_flight", s.inFlight());
            if (s.maxConcurrency() > 0) g.writeNumberField("max_concurrency", s.maxConcurrency());
            g.writeNumberField("consecutive_failures", s.consecutiveFailures());
            g.writeNumberField("recent_error_rate", s.recentErrorRate());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeNumber(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v)) g.writeNullField(name);
        else g.writeNumberField(name, Math.round(v * 10) / 10.0);
    }
}
