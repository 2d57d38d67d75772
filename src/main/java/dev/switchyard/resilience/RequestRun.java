package dev.switchyard.resilience;

import dev.switchyard.model.ApiError;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.UpstreamCall;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.provider.compat.CompatAdapter;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One request's walk over its targets. Lives on the request's event loop, so its state needs no locks;
 * every callback checks it still belongs to the current attempt, because a timed-out or cancelled
 * attempt may still call back later.
 */
final class RequestRun {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;

    final Vertx vertx;
    final String requestId;
    final InboundRequest request;
    final RoutePlan plan;
    final ClientChannel client;
    final long startNanos;
    private final long startEpochMillis = System.currentTimeMillis();
    private final Consumer<ExchangeOutcome> outcomes;
    private final String traceParent;
    final AttemptLog log = new AttemptLog();

    private int targetIndex;
    private int retriesLeft;
    private int attemptSeq;
    private boolean finished;
    long upstreamNanos;
    private Attempt current;
    private Duration soonestRetry;

    RequestRun(Vertx vertx, String requestId, InboundRequest request, RoutePlan plan, ClientChannel client,
            long startNanos, Consumer<ExchangeOutcome> outcomes, String traceParent) {
        this.vertx = vertx;
        this.requestId = requestId;
        this.request = request;
        this.plan = plan;
        this.client = client;
        this.startNanos = startNanos;
        this.outcomes = outcomes;
        this.traceParent = traceParent;
        this.retriesLeft = plan.retries();
    }

    void start() {
        client.onClose(this::clientGone);
        attempt();
    }

    /** One try on the current target. */
    private void attempt() {
        if (finished) return;
        if (targetIndex >= plan.targets().size()) {
            allFailed();
            return;
        }
        Target target = plan.targets().get(targetIndex);
        UpstreamRequest upstream;
        try {
            upstream = target.provider().adapter().encode(request, target.provider().config(), target.upstreamModel(), true);
        } catch (ApiException e) {
            finishWithError(e.error(), target, null);
            return;
        }
        Attempt a = new Attempt(++attemptSeq, target, upstream.headers().get(CompatAdapter.DROPPED_HEADER));
        upstream.headers().remove(CompatAdapter.DROPPED_HEADER);
        current = a;
        a.call = target.provider().transport().send(upstream);
        long total = target.timeouts().total().toMillis();
        a.totalTimer = vertx.setTimer(total, t -> {
            a.totalTimer = -1;
            UpstreamFailure f = UpstreamFailure.timeout("total " + total + "ms");
            if (a.relay != null && a.committed) a.relay.error(f);
            else failAttempt(a, f);
        });
        if (request.stream()) {
            long ft = target.timeouts().firstToken().toMillis();
            a.firstTokenTimer = vertx.setTimer(ft, t -> failAttempt(a, UpstreamFailure.timeout("first_token " + ft + "ms")));
        }
        a.call.response().onComplete(ar -> {
            if (a != current || finished) {
                if (ar.succeeded()) ar.result().cancel();
                return;
            }
            if (ar.failed()) {
                failAttempt(a, connectFailure(ar.cause()));
                return;
            }
            UpstreamResponse resp = ar.result();
            a.response = resp;
            if (resp.status() < 200 || resp.status() >= 300) {
                readBody(a, resp, MAX_ERROR_BODY, body -> failAttempt(a,
                        target.provider().adapter().classify(resp.status(), resp.headers(), body)));
            } else if (request.stream()) {
                a.relay = new StreamRelay(this, a, resp);
                a.relay.start();
            } else {
                readBody(a, resp, MAX_RESPONSE_BODY, body -> answer(a, body));
            }
        });
    }

    private static UpstreamFailure connectFailure(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String label = msg.contains("timed out") || msg.contains("timeout") ? "connect_timeout" : "connect_error";
        return UpstreamFailure.transientError(label, msg);
    }

    private void readBody(Attempt a, UpstreamResponse resp, int limit, Consumer<Buffer> then) {
        Buffer acc = Buffer.buffer();
        resp.body().handler(b -> {
            if (a != current) return;
            if (acc.length() + b.length() > limit) {
                failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, resp.status(), "too_large", null, null,
                        "upstream body over " + limit + " bytes"));
                return;
            }
            acc.appendBuffer(b);
        });
        resp.body().exceptionHandler(e -> {
            if (a == current) failAttempt(a, UpstreamFailure.transientError("dropped", "connection lost mid-response: " + e.getMessage()));
        });
        resp.body().endHandler(v -> {
            if (a == current && !finished) then.accept(acc);
        });
        resp.body().resume();
    }

    /** A complete non-streaming answer. */
    private void answer(Attempt a, Buffer body) {
        DecodedResponse decoded;
        try {
            decoded = a.target.provider().adapter().decode(body, request);
        } catch (ApiException e) {
            failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, 200, "bad_response", null, null, e.getMessage()));
            return;
        } catch (RuntimeException e) {
            failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, 200, "bad_response", null, null,
                    "upstream answer could not be read: " + e.getClass().getSimpleName()));
            return;
        }
        a.stopTimers(vertx);
        long now = System.nanoTime();
        upstreamNanos += now - a.startNanos;
        logAttempt(a, Integer.toString(a.response.status()), now, null);
        finished = true;
        client.sendJson(200, provenance(a.target, a.dropped), decoded.body());
        report(a.target, 200, decoded.usage(), 0, null, false);
    }

    /** A failed attempt: decide whether to retry, fail over, or give the client the upstream's answer. */
    void failAttempt(Attempt a, UpstreamFailure f) {
        if (a != current || finished) return;
        current = null;
        a.abandon(vertx);
        long now = System.nanoTime();
        upstreamNanos += now - a.startNanos;
        logAttempt(a, f.label(), now, f.message());
        switch (f.kind()) {
            case CLIENT_ERROR, CONTENT_FILTER -> {
                finishWithError(f.clientError() != null ? f.clientError()
                        : new ApiError(f.status(), "invalid_request_error", null, null, f.message()), a.target, a.dropped);
                return;
            }
            case RATE_LIMITED -> noteRetryAfter(f.retryAfter());
            case TRANSIENT -> {
                noteRetryAfter(f.retryAfter());
                if (retriesLeft > 0 && !client.closed()) {
                    retriesLeft--;
                    long cap = plan.backoff().toMillis() << Math.min(10, plan.retries() - retriesLeft - 1);
                    long delay = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, cap)); // full jitter
                    vertx.setTimer(delay, t -> attempt());
                    return;
                }
            }
            default -> { }
        }
        targetIndex++;
        retriesLeft = plan.retries();
        attempt();
    }

    private void noteRetryAfter(Duration d) {
        if (d != null && (soonestRetry == null || d.compareTo(soonestRetry) < 0)) soonestRetry = d;
    }

    private void allFailed() {
        boolean allTimeouts = true;
        boolean allUnavailable = true;
        for (AttemptLog.Attempt at : log.attempts()) {
            allTimeouts &= at.outcome().equals("timeout");
            allUnavailable &= at.outcome().equals("429") || at.outcome().equals("503") || at.outcome().equals("529");
        }
        int n = plan.targets().size();
        String what = "All " + n + (n == 1 ? " target" : " targets") + " for model '" + plan.publicName() + "' failed: "
                + log.failureSummary() + ".";
        ApiError e;
        if (allTimeouts) {
            e = new ApiError(504, "api_error", "upstream_timeout", null, what + " Try again, or raise the route's timeouts.");
        } else if (allUnavailable) {
            e = new ApiError(503, "api_error", "upstream_unavailable", null, what + " Retry after the time in the Retry-After header.");
        } else {
            e = new ApiError(502, "api_error", "upstream_error", null, what);
        }
        Target last = plan.targets().get(n - 1);
        finished = true;
        Duration retry = e.status() == 503 ? (soonestRetry != null ? soonestRetry : Duration.ofSeconds(1)) : null;
        client.sendError(e, provenance(last, null), retry);
        report(last, e.status(), null, 0, e.type(), false);
    }

    void finishWithError(ApiError e, Target target, String dropped) {
        if (finished) return;
        finished = true;
        client.sendError(e, provenance(target, dropped), null);
        report(target, e.status(), null, 0, e.type(), false);
    }

    private void clientGone() {
        if (finished) return;
        finished = true;
        Attempt a = current;
        current = null;
        Target t = a != null ? a.target : null;
        if (a != null) {
            a.abandon(vertx);
            logAttempt(a, "client_closed", System.nanoTime(), "client disconnected");
        }
        report(t, 499, a != null ? a.usage : null, a != null ? a.ttftNanos : 0, "client_closed", a != null && a.committed);
    }

    // ---- used by StreamRelay ----

    boolean isCurrent(Attempt a) {
        return a == current && !finished;
    }

    /** The stream reached its first content token: this attempt wins; headers go out now. */
    void commit(Attempt a) {
        long now = System.nanoTime();
        a.ttftNanos = now - startNanos;
        upstreamNanos += now - a.startNanos;
        logAttempt(a, Integer.toString(a.response.status()), now, null);
        a.committed = true;
        client.startStream(provenance(a.target, a.dropped));
    }

    /** The committed stream ended: completely ({@code failure == null}) or broken. */
    void streamEnded(Attempt a, UpstreamFailure failure) {
        if (finished) return;
        finished = true;
        current = null;
        a.stopTimers(vertx);
        if (failure != null) {
            a.abandon(vertx);
            logAttempt(a, failure.label(), System.nanoTime(), failure.message());
        }
        report(a.target, 200, a.usage, a.ttftNanos, failure == null ? null : "stream_broken", failure != null);
    }

    Provenance provenance(Target t, String dropped) {
        long overhead = Math.max(0, System.nanoTime() - startNanos - upstreamNanos) / 1000;
        return new Provenance(requestId, t == null ? null : t.provider().name(), t == null ? null : t.upstreamModel(),
                log, overhead, t != null && t.provider().adapter().capabilities().simulated(), dropped);
    }

    private void report(Target t, int status, Usage usage, long ttft, String errorType, boolean truncated) {
        long total = System.nanoTime() - startNanos;
        outcomes.accept(new ExchangeOutcome(requestId, plan.publicName(), t == null ? null : t.id(), request.stream(),
                status, usage, log, startEpochMillis, total, ttft, Math.max(0, total - upstreamNanos), errorType, truncated,
                request.op(), traceParent));
    }

    private void logAttempt(Attempt a, String outcome, long nowNanos, String detail) {
        log.add(a.target.id(), outcome, a.startNanos - startNanos, nowNanos - a.startNanos, detail);
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** State of one attempt. */
    static final class Attempt {
        final int seq;
        final Target target;
        final String dropped;
        final long startNanos = System.nanoTime();
        UpstreamCall call;
        UpstreamResponse response;
        StreamRelay relay;
        long totalTimer = -1;
        long firstTokenTimer = -1;
        long idleTimer = -1;
        boolean committed;
        long ttftNanos;
        Usage usage;

        Attempt(int seq, Target target, String dropped) {
            this.seq = seq;
            this.target = target;
            this.dropped = dropped;
        }

        void stopTimers(Vertx vertx) {
            if (totalTimer >= 0) vertx.cancelTimer(totalTimer);
            if (firstTokenTimer >= 0) vertx.cancelTimer(firstTokenTimer);
            if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
            totalTimer = firstTokenTimer = idleTimer = -1;
        }

        /** Stops everything this attempt holds: timers, and the upstream request or response. */
        void abandon(Vertx vertx) {
            stopTimers(vertx);
            if (response != null) response.cancel();
            else if (call != null) call.cancel();
        }
    }
}
