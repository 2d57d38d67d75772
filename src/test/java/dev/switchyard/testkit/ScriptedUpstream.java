package dev.switchyard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server that plays a provider: each request gets the next scripted reply (status,
 * headers, body written in the given pieces) and is recorded for assertions. Speaks whatever wire
 * format the script holds, so one class serves Gemini, Azure or any other provider's mock.
 */
public final class ScriptedUpstream implements AutoCloseable {
    private static final ObjectMapper M = new ObjectMapper();

    /** A request as the upstream saw it. */
    public record Received(String method, String uri, MultiMap headers, JsonNode body) {}

    /** One scripted answer; {@code pieces} are written separately (a stream), then the response ends. */
    public record Reply(int status, Map<String, String> headers, List<String> pieces) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of("content-type", "application/json"), List.of(body));
        }

        public static Reply json(int status, Object body) {
            try {
                return json(status, M.writeValueAsString(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Server-sent events, one {@code data:} event per JSON text; no terminator is added. */
        public static Reply sse(String... events) {
            return new Reply(200, Map.of("content-type", "text/event-stream"),
                    java.util.Arrays.stream(events).map(e -> "data: " + e + "\r\n\r\n").toList());
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, pieces);
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    private ScriptedUpstream(HttpServer server) {
        this.server = server;
    }

    public static ScriptedUpstream start(Vertx vertx) {
        ScriptedUpstream[] self = new ScriptedUpstream[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            JsonNode body;
            try {
                body = buf.length() == 0 ? M.nullNode() : M.readTree(buf.getBytes());
            } catch (IOException e) {
                body = M.getNodeFactory().textNode(buf.toString());
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            self[0].received.add(new Received(req.method().name(), req.uri(), headers, body));
            Reply r = self[0].replies.poll();
            HttpServerResponse resp = req.response();
            if (r == null) {
                resp.setStatusCode(599).end("no scripted reply left");
                return;
            }
            resp.setStatusCode(r.status());
            r.headers().forEach(resp::putHeader);
            if (r.pieces().size() == 1) {
                resp.end(r.pieces().get(0));
                return;
            }
            resp.setChunked(true);
            for (String piece : r.pieces()) resp.write(piece);
            resp.end();
        })).listen(0, "127.0.0.1").await();
        self[0] = new ScriptedUpstream(server);
        return self[0];
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void enqueue(Reply... rs) {
        replies.addAll(List.of(rs));
    }

    /** The next recorded request; fails if none arrives within 10 s. */
    public Received take() {
        try {
            Received r = received.poll(10, TimeUnit.SECONDS);
            if (r == null) throw new AssertionError("the upstream received no request");
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True when no request has arrived since the last {@link #take}. */
    public boolean idle() {
        return received.isEmpty();
    }

    /** Forgets unused replies and unread requests (between tests). */
    public void reset() {
        replies.clear();
        received.clear();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
