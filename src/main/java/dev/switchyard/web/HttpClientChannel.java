package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import dev.switchyard.resilience.ClientChannel;
import dev.switchyard.resilience.Provenance;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/** {@link ClientChannel} over a Vert.x server response. */
final class HttpClientChannel implements ClientChannel {
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence X_ACCEL = HttpHeaders.createOptimized("x-accel-buffering");
    private static final CharSequence NO = HttpHeaders.createOptimized("no");

    private final HttpServerResponse response;

    HttpClientChannel(HttpServerResponse response) {
        this.response = response;
    }

    @Override
    public boolean closed() {
        return response.closed() || response.ended();
    }

    @Override
    public void onClose(Runnable action) {
        response.closeHandler(v -> {
            if (!response.ended()) action.run();
        });
    }

    @Override
    public void startStream(Provenance provenance) {
        if (closed()) return;
        MultiMap h = response.headers();
        h.set(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
        h.set(HttpHeaders.CACHE_CONTROL, NO_CACHE);
        h.set(X_ACCEL, NO);
        ProvenanceHeaders.write(h, provenance);
        response.setChunked(true).setStatusCode(200);
    }

    @Override
    public boolean write(Buffer sse) {
        if (closed()) return false;
        response.write(sse);
        return response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable action) {
        response.drainHandler(v -> action.run());
    }

    @Override
    public void endStream() {
        if (!closed()) response.end();
    }

    @Override
    public void endStream(Buffer last) {
        if (!closed()) response.end(last);
    }

    @Override
    public void sendJson(int status, Provenance provenance, Buffer body) {
        if (closed()) return;
        MultiMap h = response.headers();
        h.set(HttpHeaders.CONTENT_TYPE, JSON);
        ProvenanceHeaders.write(h, provenance);
        response.setStatusCode(status).end(body);
    }

    @Override
    public void sendError(ApiError error, Provenance provenance, Duration retryAfter) {
        if (closed()) return;
        if (provenance != null) ProvenanceHeaders.write(response.headers(), provenance);
        if (retryAfter != null) response.headers().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        Errors.send(response, error);
    }
}
