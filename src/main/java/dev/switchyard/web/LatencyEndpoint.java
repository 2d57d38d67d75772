package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.accounting.latency.PercentileWindows;
import dev.switchyard.accounting.latency.Percentiles;
import dev.switchyard.accounting.latency.Scope;
import dev.switchyard.accounting.latency.ScopeSnapshot;
import dev.switchyard.accounting.latency.Window;
import dev.switchyard.model.ApiError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/latency?window=1m|5m|1h} (admin key): live latency and TTFT percentiles per provider and
 * per model, in milliseconds. The window defaults to 5m. Merging the slot histograms runs on a worker thread.
 */
public final class LatencyEndpoint implements RouteMount {
    private final PercentileWindows windows;

    public LatencyEndpoint(PercentileWindows windows) {
        this.windows = windows;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        router.get("/admin/latency").handler(new AdminGuard(state)).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        String w = ctx.request().getParam("window");
        Window window = w == null ? Window.FIVE_MINUTES : Window.parse(w);
        if (window == null) {
            AdminGuard.fail(ctx, new ApiError(400, "invalid_request_error", "invalid_window", "window",
                    "window must be 1m, 5m or 1h, got '" + w + "'."));
            return;
        }
        ctx.vertx().executeBlocking(() -> {
            List<ScopeSnapshot> out = new ArrayList<>();
            for (Scope s : windows.scopes()) out.add(windows.snapshot(s, window));
            return out;
        }, false).onSuccess(snaps -> AdminGuard.json(ctx, g -> write(g, window, snaps))).onFailure(ctx::fail);
    }

    private static void write(JsonGenerator g, Window window, List<ScopeSnapshot> snaps) throws IOException {
        g.writeStartObject();
        g.writeStringField("window", window.label());
        g.writeStringField("unit", "ms");
        for (Scope.Kind kind : Scope.Kind.values()) {
            g.writeObjectFieldStart(kind == Scope.Kind.PROVIDER ? "providers" : "models");
            for (ScopeSnapshot s : snaps) {
                if (s.scope().kind() != kind) continue;
                g.writeObjectFieldStart(s.scope().name());
                write(g, "latency", s.latency());
                write(g, "ttft", s.ttft());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, String name, Percentiles p) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", p.count());
        g.writeNumberField("p50", p.p50());
        g.writeNumberField("p90", p.p90());
        g.writeNumberField("p95", p.p95());
        g.writeNumberField("p99", p.p99());
        g.writeNumberField("max", p.max());
        g.writeEndObject();
    }
}
