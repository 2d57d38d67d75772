package dev.switchyard.provider.anthropic;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A loopback server speaking the Anthropic Messages wire format for end-to-end tests: it records every request
 * and answers with whatever the current script returns (JSON, an error, or an SSE stream written one event
 * per write so the gateway sees real chunk boundaries). Requests under {@code /openai/} get a 503, as an
 * OpenAI-compatible target having a bad day.
 */
final class AnthropicMock {
    /** One request as the mock received it. */
    record Received(String path, MultiMap headers, JsonObject body) {}

    /** What the mock answers. */
    record Reply(int status, String contentType, List<String> parts, MultiMap headers) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", List.of(body), MultiMap.caseInsensitiveMultiMap());
        }

        /** Each argument is one complete SSE event, written separately. */
        static Reply sse(String... events) {
            return new Reply(200, "text/event-stream", List.of(events), MultiMap.caseInsensitiveMultiMap());
        }

        Reply header(String name, String value) {
            headers.set(name, value);
            return this;
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Function<Received, Reply> script = r -> Reply.json(500, "{}");
    private HttpServer server;

    static AnthropicMock start(Vertx vertx) {
        AnthropicMock m = new AnthropicMock();
        m.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Received r = new Received(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                    body.length() == 0 ? new JsonObject() : body.toJsonObject());
            m.received.add(r);
            Reply reply = req.path().startsWith("/openai/")
                    ? Reply.json(503, "{\"error\":{\"message\":\"temporarily unavailable\",\"type\":\"server_error\"}}")
                    : m.script.apply(r);
            send(req.response(), reply);
        })).listen(0, "127.0.0.1").await();
        return m;
    }

    private static void send(HttpServerResponse resp, Reply reply) {
        resp.setStatusCode(reply.status()).putHeader("content-type", reply.contentType());
        resp.headers().addAll(reply.headers());
        resp.setChunked(true);
        for (String part : reply.parts()) resp.write(part);
        resp.end();
    }

    int port() {
        return server.actualPort();
    }

    void script(Function<Received, Reply> s) {
        script = s;
    }

    void reset() {
        received.clear();
        script = r -> Reply.json(500, "{}");
    }

    /** The next request the mock received; fails the test if none arrives. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("the mock received no request");
        return r;
    }

    List<Received> drain() {
        List<Received> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    void close() {
        server.close().await();
    }

    // ---- Anthropic wire format helpers ----

    static String message(String id, String contentArray, String stopReason, long input, long output, long cacheRead) {
        return "{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"content\":" + contentArray + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output
                + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":" + cacheRead + "}}";
    }

    static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},\"request_id\":\"req_1\"}";
    }

    static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    static String messageStart(String id, long input) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":1}}}");
    }

    static String blockStart(int index, String block) {
        return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
    }

    static String delta(int index, String delta) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    static String blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    static String messageDelta(String stopReason, long output) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}");
    }

    static String messageStop() {
        return event("message_stop", "{\"type\":\"message_stop\"}");
    }
}
