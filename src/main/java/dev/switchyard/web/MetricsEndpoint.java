package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: Prometheus text. Scrapers usually come unauthenticated, but a gateway may face the
 * internet, so when an admin key is configured the endpoint asks for it unless
 * {@code observability.metrics_public: true} opens it on purpose. Rendering runs on a worker thread: a scrape
 * walks every meter, which is no work for an event loop.
 */
public final class MetricsEndpoint implements RouteMount {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    /** @param scrape renders the registry (e.g. {@code PrometheusMeterRegistry::scrape}); called off the event loop */
    public MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        router.get("/metrics").handler(ctx -> serve(ctx, state.get()));
    }

    private void serve(RoutingContext ctx, FrontState s) {
        if (s.keys().adminEnabled() && !s.config().metricsPublic() && !s.keys().isAdmin(OpenAiFront.presentedKey(ctx.request()))) {
            Errors.send(ctx.response(), new ApiError(401, "invalid_request_error", "invalid_admin_key", null,
                    "/metrics needs the admin key (auth.admin_key) as 'Authorization: Bearer <admin key>', "
                            + "or set observability.metrics_public: true to let scrapers in without it."));
            return;
        }
        ctx.vertx().executeBlocking(scrape::get, false).onComplete(ar -> {
            if (ctx.response().closed()) return;
            if (ar.failed()) {
                LOG.error("rendering /metrics failed", ar.cause());
                Errors.send(ctx.response(), Errors.internal("metrics"));
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(ar.result());
        });
    }
}
