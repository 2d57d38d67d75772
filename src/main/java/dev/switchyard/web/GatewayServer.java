package dev.switchyard.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the router and the HTTP server for one event loop. */
public final class GatewayServer {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private GatewayServer() {}

    /**
     * @param extensions mount further routes (admin API, metrics, dashboard) on the same router; each is
     *                   called once per server instance
     */
    public static Router router(Vertx vertx, OpenAiFront front, BooleanSupplier ready, List<RouteMount> extensions,
            Supplier<FrontState> state) {
        Router r = Router.router(vertx);
        r.route().handler(new Cors(state)); // first: preflights need no key, and error answers need the headers too
        r.post("/v1/chat/completions").handler(front::chat);
        r.post("/v1/embeddings").handler(front::embeddings);
        r.get("/v1/models").handler(front::listModels);
        // named: the name is the route label in HTTP server metrics (a regex would read badly)
        r.getWithRegex("/v1/models/.+").setName("/v1/models/{model}").handler(front::getModel);
        r.get("/healthz").handler(ctx -> OpenAiFront.json(ctx.response(), g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeEndObject();
        }));
        r.get("/readyz").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            ctx.response().setStatusCode(ok ? 200 : 503);
            OpenAiFront.json(ctx.response(), g -> {
                g.writeStartObject();
                g.writeStringField("status", ok ? "ready" : "not_ready");
                g.writeEndObject();
            });
        });
        // after the API: a request walks the routes in order, and the API's are the ones on every request's path
        for (RouteMount e : extensions) e.mount(r, state);
        r.errorHandler(404, ctx -> Errors.send(ctx.response(), Errors.notFound(ctx.request().path())));
        r.errorHandler(405, ctx -> Errors.send(ctx.response(), Errors.methodNotAllowed(ctx.request().method().name(), ctx.request().path())));
        r.errorHandler(500, GatewayServer::internalError);
        return r;
    }

    private static void internalError(RoutingContext ctx) {
        String id = ctx.response().headers().get("x-switchyard-request-id");
        LOG.error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
        Errors.send(ctx.response(), Errors.internal(id == null ? "-" : id));
    }

    public static Future<HttpServer> listen(Vertx vertx, Router router, String host, int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host).setPort(port)
                .setTcpNoDelay(true)
                .setReusePort(true)
                .setCompressionSupported(false)
                // No WebSocket deflate: otherwise Netty's extension handler sits in every request's path.
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                // Every handler, timer and upstream callback of a request runs on its event loop, so responses
                // can be written straight to the channel instead of through a thread-safe queue. A write from
                // any other thread fails loudly (IllegalStateException) rather than racing.
                .setStrictThreadMode(true)
                .setIdleTimeout(0);
        return vertx.createHttpServer(options).requestHandler(router).listen();
    }

}
