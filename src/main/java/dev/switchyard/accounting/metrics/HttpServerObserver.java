package dev.switchyard.accounting.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Observes the HTTP server through Vert.x's metrics SPI rather than a router handler: it sees every exchange
 * (401s, 404s and 413s included), learns the matched route's template from vertx-web, and takes no response
 * handler a request handler might also want (a response has one close handler, and the front owns it).
 * Only HTTP server metrics are provided; every other Vert.x metric stays off.
 */
public final class HttpServerObserver implements VertxMetricsFactory {
    static final String OTHER_ROUTE = "other";

    private final HttpServerMeters meters;

    public HttpServerObserver(HttpServerMeters meters) {
        this.meters = meters;
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        Server server = new Server();
        return new VertxMetrics() {
            @Override
            public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions o, SocketAddress localAddress) {
                return server;
            }
        };
    }

    /** One exchange; lives on its connection's event loop, so plain fields. */
    static final class Exchange {
        final long startNanos = System.nanoTime();
        final HttpMethod method;
        String route;
        boolean done;

        Exchange(HttpMethod method) {
            this.method = method;
        }
    }

    private final class Server implements HttpServerMetrics<Exchange, Void, Void> {
        @Override
        public Exchange requestBegin(Void socket, HttpRequest request) {
            meters.started();
            return new Exchange(request.method());
        }

        @Override
        public void requestRouted(Exchange ex, String route) {
            if (ex != null && route != null) ex.route = route;
        }

        @Override
        public void responseEnd(Exchange ex, HttpResponse response, long bytesWritten) {
            end(ex, response.statusCode());
        }

        /** The connection closed or the stream was reset before the response ended. */
        @Override
        public void requestReset(Exchange ex) {
            end(ex, 499);
        }

        private void end(Exchange ex, int status) {
            if (ex == null || ex.done) return;
            ex.done = true;
            meters.ended(ex.method, ex.route != null ? ex.route : OTHER_ROUTE, status, System.nanoTime() - ex.startNanos);
        }
    }
}
