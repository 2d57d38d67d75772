package dev.switchyard.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A loopback upstream speaking OpenAI's wire format ({@code POST /v1/chat/completions},
 * {@code POST /v1/embeddings}) whose every answer is scripted: a queue of {@link Reply}s consumed one per
 * request, then a fallback function of the request. It records each request byte for byte and notices
 * when the gateway hangs up on it, so tests can prove cancellation rather than assume it.
 *
 * <p>Unscripted requests get a loud 500 naming the request, so a test that forgot a reply fails
 * instead of passing by accident. Other paths get an OpenAI-style 404 and consume no reply.
 */
public final class MockUpstream implements AutoCloseable {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private Function<RecordedRequest, Reply> fallback = MockUpstream::unscripted;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<CompletableFuture<RecordedRequest>> arrivals = new ArrayList<>();

    private MockUpstream(Vertx vertx, boolean ownsVertx) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
    }

    /** Starts on 127.0.0.1 on a free port, on the given Vert.x (which the caller closes). */
    public static MockUpstream start(Vertx vertx) {
        MockUpstream m = new MockUpstream(vertx, false);
        m.server = vertx.createHttpServer().requestHandler(m::handle).listen(0, "127.0.0.1").await();
        return m;
    }

    /** Starts on a Vert.x of its own, closed with the mock. */
    public static MockUpstream start() {
        Vertx v = Vertx.vertx();
        MockUpstream m = new MockUpstream(v, true);
        m.server = v.createHttpServer().requestHandler(m::handle).listen(0, "127.0.0.1").await();
        return m;
    }

    public int port() {
        return server.actualPort();
    }

    /** What a provider's {@code base_url} should be: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Queues replies for the next requests, in order. */
    public synchronized MockUpstream enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** What to answer once the queue is empty. */
    public synchronized MockUpstream otherwise(Function<RecordedRequest, Reply> decide) {
        this.fallback = decide;
        return this;
    }

    /** Answers every (unqueued) request with {@code reply}. */
    public MockUpstream always(Reply reply) {
        return otherwise(r -> reply);
    }

    /** Forgets scripts and recordings. */
    public synchronized void reset() {
        script.clear();
        fallback = MockUpstream::unscripted;
        requests.clear();
        arrivals.clear();
    }

    /** Every scripted-endpoint request received so far, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized int requestCount() {
        return requests.size();
    }

    /** Completes when the {@code index}-th (0-based) request has arrived. */
    public synchronized CompletableFuture<RecordedRequest> request(int index) {
        while (arrivals.size() <= index) arrivals.add(new CompletableFuture<>());
        return arrivals.get(index);
    }

    /** The one request received; fails when there were none or several. */
    public synchronized RecordedRequest onlyRequest() {
        if (requests.size() != 1) throw new AssertionError("expected exactly 1 upstream request, got " + requests.size() + ": " + requests);
        return requests.get(0);
    }

    private void handle(HttpServerRequest req) {
        Context ctx = vertx.getOrCreateContext();
        req.body().onSuccess(body -> {
            boolean scripted = req.method() == HttpMethod.POST
                    && (req.path().endsWith("/chat/completions") || req.path().endsWith("/embeddings"));
            if (!scripted) {
                req.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(OpenAiBodies.error("invalid_request_error", "unknown_url", null, "MockUpstream: no route " + req.path()));
                return;
            }
            RecordedRequest r;
            Reply reply;
            CompletableFuture<RecordedRequest> arrived;
            synchronized (this) {
                r = new RecordedRequest(requests.size(), req.method().name(), req.path(), headers(req), body.getBytes());
                requests.add(r);
                reply = script.poll();
                if (reply == null) reply = fallback.apply(r);
                while (arrivals.size() <= r.index()) arrivals.add(new CompletableFuture<>());
                arrived = arrivals.get(r.index());
            }
            new Exchange(ctx, req, r).play(reply);
            arrived.complete(r);
        });
    }

    private static Map<String, List<String>> headers(HttpServerRequest req) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        req.headers().forEach(e -> out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    private static Reply unscripted(RecordedRequest r) {
        return Reply.error(500, "server_error", "unscripted", "MockUpstream has no reply scripted for " + r);
    }

    /** Plays one reply on one response; everything runs on the request's event loop. */
    private final class Exchange {
        private final Context ctx;
        private final HttpServerRequest req;
        private final HttpServerResponse resp;
        private final RecordedRequest rec;
        private boolean selfClosed;

        Exchange(Context ctx, HttpServerRequest req, RecordedRequest rec) {
            this.ctx = ctx;
            this.req = req;
            this.resp = req.response();
            this.rec = rec;
            // Vert.x calls this only when the connection closes while the response is still unfinished.
            resp.closeHandler(v -> {
                if (!selfClosed && !resp.ended()) rec.markClientGone();
            });
        }

        void play(Reply reply) {
            if (resp.closed()) return;
            switch (reply) {
                case Reply.Json j -> {
                    resp.setStatusCode(j.status());
                    resp.putHeader("content-type", "application/json");
                    j.headers().forEach(resp::putHeader);
                    resp.end(j.body()).onSuccess(v -> rec.markReplied());
                }
                case Reply.Sse s -> {
                    resp.setStatusCode(s.status()).setChunked(true);
                    resp.putHeader("content-type", "text/event-stream");
                    resp.putHeader("cache-control", "no-cache");
                    s.headers().forEach(resp::putHeader);
                    resp.writeHead();
                    frame(s, 0);
                }
                case Reply.Hang h -> { }
                case Reply.Drop d -> dropConnection();
                case Reply.Delayed d -> vertx.setTimer(Math.max(1, d.delay().toMillis()), t -> ctx.runOnContext(x -> play(d.then())));
                case Reply.Dynamic d -> play(d.decide().apply(rec));
            }
        }

        private void frame(Reply.Sse s, int i) {
            if (resp.closed()) return;
            if (i == s.pauseAt()) {
                s.gate().whenComplete((v, e) -> ctx.runOnContext(x -> frame(s.pauseBefore(-1, s.gate()), i)));
                return;
            }
            if (i < s.frames().size()) {
                resp.write(Buffer.buffer(s.frames().get(i)));
                long gap = s.gap().toMillis();
                if (gap > 0 && i + 1 < s.frames().size()) vertx.setTimer(gap, t -> frame(s, i + 1));
                else frame(s, i + 1);
                return;
            }
            switch (s.end()) {
                case FINISH -> resp.end().onSuccess(v -> rec.markReplied());
                case DROP -> dropConnection();
                case HANG -> { }
            }
        }

        private void dropConnection() {
            selfClosed = true;
            req.connection().close(); // the reader sees the connection end mid-exchange
        }
    }

    @Override
    public void close() {
        server.close().await();
        if (ownsVertx) vertx.close().await();
    }
}
