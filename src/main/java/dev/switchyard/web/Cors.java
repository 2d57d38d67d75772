package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * CORS for browser clients, off unless {@code server.cors.allowed_origins} lists origins (or {@code "*"}). It reads
 * the live configuration per request, so a reload changes it. Answers preflights itself (no key needed: a browser
 * sends none with them); an origin that is not listed gets no CORS headers, so the browser keeps the answer from
 * the page.
 */
final class Cors implements Handler<RoutingContext> {
    private static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String DEFAULT_ALLOW_HEADERS = "authorization, content-type, api-key, x-request-id";
    /** What a page may read: provenance, rate-limit state and request ids. */
    private static final String EXPOSE = "x-switchyard-request-id, x-switchyard-provider, x-switchyard-model, "
            + "x-switchyard-attempts, x-switchyard-overhead-ms, x-switchyard-cost-usd, x-switchyard-simulated, "
            + "x-switchyard-dropped-params, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, "
            + "x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens, "
            + "retry-after, x-should-retry";

    private final Supplier<FrontState> state;

    Cors(Supplier<FrontState> state) {
        this.state = state;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<String> allowed = state.get().config().server().corsOrigins();
        HttpServerRequest req = ctx.request();
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (allowed.isEmpty() || origin == null) {
            ctx.next();
            return;
        }
        boolean any = allowed.contains("*");
        boolean ok = any || allowed.contains(origin);
        boolean preflight = req.method() == HttpMethod.OPTIONS && req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        HttpServerResponse resp = ctx.response();
        if (!ok) {
            if (preflight) {
                Errors.send(resp, new ApiError(403, "invalid_request_error", "origin_not_allowed", null,
                        "Origin " + origin + " may not call this gateway (server.cors.allowed_origins)."));
                return;
            }
            ctx.next();
            return;
        }
        // a listed origin is echoed (not "*") so caches keep answers for different origins apart
        resp.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin);
        if (!any) resp.headers().add(HttpHeaders.VARY, "Origin");
        if (preflight) {
            String asked = req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
            resp.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
            resp.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, asked == null || asked.isBlank() ? DEFAULT_ALLOW_HEADERS : asked);
            resp.headers().set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
            resp.setStatusCode(204).end();
            return;
        }
        resp.headers().set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
        ctx.next();
    }
}
