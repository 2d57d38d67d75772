package dev.switchyard.web;

import dev.switchyard.accounting.metrics.HttpServerMeters;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Times every HTTP exchange, rejected ones included. Mount it before any other extension: it must be the
 * router's first route to see every request. Paths are reduced to route templates (the matched route's
 * path, {@code /v1/models/{model}} for model lookups, {@code other} for anything unmatched) so a client
 * cannot mint label values.
 */
public final class HttpMetricsMount implements RouteMount {
    static final String MODEL_ROUTE = "/v1/models/{model}";
    static final String OTHER = "other";

    private final HttpServerMeters meters;

    public HttpMetricsMount(HttpServerMeters meters) {
        this.meters = meters;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        router.route().handler(this::time);
    }

    private void time(RoutingContext ctx) {
        long start = System.nanoTime();
        meters.started();
        ctx.addEndHandler(ar -> meters.ended(ctx.request().method().name(), route(ctx),
                ar.succeeded() ? ctx.response().getStatusCode() : 499, System.nanoTime() - start));
        ctx.next();
    }

    private static String route(RoutingContext ctx) {
        Route r = ctx.currentRoute();
        String template = r == null ? null : r.getPath();
        if (template != null) return template;
        String path = ctx.request().path();
        return path != null && path.startsWith("/v1/models/") ? MODEL_ROUTE : OTHER;
    }
}
