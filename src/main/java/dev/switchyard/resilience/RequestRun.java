package dev.switchyard.resilience;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.Sizes;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.provider.compat.CompatAdapter;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import dev.switchyard.routing.TargetOrder;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's walk over its targets. Lives on the request's event loop, so its state needs no locks.
 * At most two attempts run at once (a primary and a hedge); every callback checks its attempt is still
 * active, because a timed-out, cancelled or losing attempt may call back later.
 */
final class RequestRun {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRun.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;

    final Vertx vertx;
    /** the request's limits (deadline, attempt total, first token, stream idle); exact short delays use Vert.x timers */
    final TimeoutWheel timeouts;
    final String requestId;
    final InboundRequest request;
    final RoutePlan plan;
    final ClientChannel client;
    final long startNanos;
    private final long startEpochMillis;
    private final Consumer<ExchangeOutcome> outcomes;
    private final RoutingFacts facts;
    private final GatewayConfig.Routing policy;
    private final CostQuote costs;
    private final String keyName;
    private final String traceParent;
    /** what one attempt takes from a target's tokens-per-minute cap before its usage is known (4 bytes ≈ 1 token) */
    private final long tokenEstimate;
    final AttemptLog log = new AttemptLog();

    private TargetWalk walk;
    private final List<Attempt> active = new ArrayList<>(2);
    private Target retryTarget;
    private Target lastTried;
    private int retriesLeft;
    private boolean finished;
    private boolean hedged;
    long upstreamNanos;
    private Duration soonestRetry;
    /** The first parameter a strict-skipped target would have dropped: the {@code param} of the strict 400. */
    private String strictParam;
    /** The last context-length or content-policy refusal, and how many attempts ended in one. */
    private ApiError refusal;
    private int refusals;
    private long deadlineAt;
    private TimeoutWheel.Timeout deadlineTimeout;
    private long hedgeTimer = -1;
    private long waitTimer = -1;

    RequestRun(Vertx vertx, String requestId, InboundRequest request, RoutePlan plan, ClientChannel client,
            long startNanos, long startEpochMillis, Consumer<ExchangeOutcome> outcomes, RoutingFacts facts,
            GatewayConfig.Routing policy, CostQuote costs, String keyName, String traceParent) {
        this.vertx = vertx;
        this.timeouts = TimeoutWheel.forCurrentThread(vertx);
        this.requestId = requestId;
        this.request = request;
        this.plan = plan;
        this.client = client;
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.outcomes = outcomes;
        this.facts = facts;
        this.policy = policy;
        this.costs = costs;
        this.keyName = keyName;
        this.traceParent = traceParent;
        this.tokenEstimate = Math.max(1, request.body().length / 4);
    }

    void start() {
        client.onClose(this::clientGone);
        walk = new TargetWalk(TargetOrder.order(plan, t -> TargetWalk.health(facts, t).expectedMillis(), facts.pricePerMtok(),
                ThreadLocalRandom.current()), facts, log, tokenEstimate);
        Duration deadline = plan.deadline() != null ? plan.deadline() : policy.deadline();
        deadlineAt = startNanos + deadline.toNanos();
        deadlineTimeout = timeouts.schedule(deadline.toMillis(), this::deadlineExpired);
        launchNext();
    }

    /** Starts an attempt on the next target that will take one; waits or gives up when none will. */
    private void launchNext() {
        if (finished) return;
        TargetWalk.Acquired next = walk.acquireNext();
        if (next != null) {
            retriesLeft = plan.retries();
            startAttempt(next.target(), next.health(), false);
            return;
        }
        if (!active.isEmpty()) return; // a running attempt may still answer
        if (walk.anyPassedOver() && waitForRecovery()) return;
        allFailed();
    }

    /**
     * Every remaining target is open, cooling down or full: wait for the soonest if that is within
     * {@code when_all_down.wait_up_to} (counted from the request's start) and before the deadline.
     */
    private boolean waitForRecovery() {
        long soonest = walk.soonestRecoveryNanos();
        noteRetryAfter(Duration.ofNanos(soonest));
        long now = System.nanoTime();
        long waited = now - startNanos;
        if (soonest > policy.waitUpTo().toNanos() - waited || now + soonest - deadlineAt >= 0) return false;
        waitTimer = vertx.setTimer(Math.max(1, (soonest + 999_999) / 1_000_000), t -> { // never wake before it
            waitTimer = -1;
            walk.rewind();
            launchNext();
        });
        return true;
    }

    private void startAttempt(Target target, TargetHealth health, boolean hedge) {
        UpstreamRequest upstream;
        try {
            upstream = target.provider().adapter().encode(request, target.provider().config(), target.upstreamModel(), true);
        } catch (ApiException e) {
            health.release();
            health.reconcileTokens(tokenEstimate, 0); // nothing was sent
            if (!active.isEmpty()) return; // the other attempt may still answer
            finishWithError(e.error(), target, null);
            return;
        } catch (RuntimeException e) {
            // An adapter bug costs this target, not the request: thrown from a retry timer it would
            // otherwise escape to the event loop and leave the client waiting for ever.
            LOG.error("request {}: encoding for {} failed", requestId, target.id(), e);
            log.add(target.id(), "encode_error", 0, "the gateway could not encode the request for this target ("
                    + e.getClass().getSimpleName() + ")");
            health.release();
            health.reconcileTokens(tokenEstimate, 0);
            if (active.isEmpty()) launchNext();
            return;
        }
        String dropped = upstream.headers().get(CompatAdapter.DROPPED_HEADER);
        if (dropped != null && request.strict()) {
            // x-switchyard-strict: this target would answer without some of the client's parameters; another may not
            health.release();
            health.reconcileTokens(tokenEstimate, 0); // nothing was sent
            if (strictParam == null) strictParam = dropped.split(",", 2)[0];
            log.add(target.id(), FailureVerdict.SKIPPED_STRICT, 0, "would drop " + dropped.replace(",", ", "));
            if (!hedge) launchNext();
            return;
        }
        Attempt a = new Attempt(target, health, hedge, dropped);
        a.tokenEstimate = tokenEstimate;
        upstream.headers().remove(CompatAdapter.DROPPED_HEADER);
        active.add(a);
        lastTried = target;
        a.call = target.provider().transport().send(upstream);
        long total = target.timeouts().total().toMillis();
        a.totalTimeout = timeouts.schedule(total, () -> {
            a.totalTimeout = null;
            UpstreamFailure f = UpstreamFailure.timeout("total " + total + "ms");
            if (a.relay != null && a.committed) a.relay.error(f);
            else failAttempt(a, f);
        });
        if (request.stream()) {
            long ft = target.timeouts().firstToken().toMillis();
            a.firstTokenTimeout = timeouts.schedule(ft, () -> failAttempt(a, UpstreamFailure.timeout("first_token " + ft + "ms")));
        }
        if (!hedge && !hedged && plan.hedge() != null) armHedge(a);
        a.call.response().onComplete(ar -> {
            if (!isCurrent(a)) {
                if (ar.succeeded()) ar.result().cancel();
                return;
            }
            if (ar.failed()) {
                failAttempt(a, ReplyReader.connectFailure(ar.cause()));
                return;
            }
            UpstreamResponse resp = ar.result();
            a.response = resp;
            if (resp.status() < 200 || resp.status() >= 300) {
                ReplyReader.readBody(this, a, resp, MAX_ERROR_BODY, body -> failAttempt(a,
                        target.provider().adapter().classify(resp.status(), resp.headers(), body)));
            } else if (request.stream()) {
                a.relay = new StreamRelay(this, a, resp);
                a.relay.start();
            } else {
                ReplyReader.readBody(this, a, resp, MAX_RESPONSE_BODY, body -> {
                    DecodedResponse decoded = ReplyReader.decode(this, a, body);
                    if (decoded != null) answer(a, decoded);
                });
            }
        });
    }

    /** Hedging: if the primary has no first token (or answer) by then, start the next target beside it. */
    private void armHedge(Attempt primary) {
        String spec = plan.hedge();
        long delayNanos;
        if (spec.startsWith("p")) {
            delayNanos = primary.health.ttftPercentileNanos(Double.parseDouble(spec.substring(1)));
            if (delayNanos < 0) return; // too little history to know what "slow" is yet
        } else {
            delayNanos = Sizes.duration(spec).toNanos();
        }
        if (hedgeTimer >= 0) vertx.cancelTimer(hedgeTimer); // armed for a primary that failed before it fired
        hedgeTimer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), t -> {
            hedgeTimer = -1;
            if (finished || hedged || !active.contains(primary) || primary.committed || active.size() > 1) return;
            TargetWalk.Acquired next = walk.acquireNext();
            if (next != null) {
                hedged = true;
                startAttempt(next.target(), next.health(), true);
            }
        });
    }

    /** A complete non-streaming answer: it wins. */
    private void answer(Attempt a, DecodedResponse decoded) {
        long now = System.nanoTime();
        a.usage = decoded.usage();
        active.remove(a);
        a.stopTimers(timeouts);
        a.healthSuccess(0, now - a.startNanos);
        upstreamNanos += now - a.startNanos;
        log.add(entry(a, a.label(Attempt.status(a.response.status())), now, null, decoded.usage(), -1));
        cancelOthers();
        finished = true;
        stopRequestTimers();
        // priced before the body is written, so the cost can travel as a header
        String cost = decoded.usage() == null ? null : costs.usd(a.target, decoded.usage());
        client.sendJson(200, provenance(a.target, a.dropped).withCost(cost), decoded.body());
        report(a.target, 200, decoded.usage(), 0, null, false);
    }

    /** A failed attempt: decide whether to retry, fail over, or give the client the upstream's answer. */
    void failAttempt(Attempt a, UpstreamFailure f) {
        if (!isCurrent(a)) return;
        active.remove(a);
        a.abandon(timeouts);
        long now = System.nanoTime();
        if (active.isEmpty()) upstreamNanos += now - a.startNanos;
        // an attempt that failed before committing may still have reported tokens (e.g. an in-band error after usage)
        log.add(entry(a, a.label(f.label()), now, f.message(), a.usage, -1));
        switch (f.kind()) {
            case TRANSIENT, FAILOVER -> a.healthFailure();
            case RATE_LIMITED -> {
                a.healthRelease();
                a.health.coolDown(f.retryAfter(), policy.cooldown());
            }
            default -> a.healthRelease();
        }
        switch (f.kind()) {
            case CLIENT_ERROR -> {
                finishWithError(clientError(f), a.target, a.dropped);
                return;
            }
            case CONTENT_FILTER -> {
                if (!plan.failoverOnContentFilter()) {
                    finishWithError(clientError(f), a.target, a.dropped);
                    return;
                }
                noteRefusal(f);
            }
            case CONTEXT_TOO_LONG -> {
                walk.requireLargerWindowThan(facts.contextWindow().applyAsLong(a.target));
                noteRefusal(f);
            }
            case RATE_LIMITED -> {
                noteRetryAfter(f.retryAfter());
                walk.passOver(a.target); // cooling down: worth waiting for when nothing else answers
            }
            case TRANSIENT -> {
                noteRetryAfter(f.retryAfter());
                if (retriesLeft > 0 && active.isEmpty() && !client.closed() && !a.hedge) {
                    retriesLeft--;
                    long cap = plan.backoff().toMillis() << Math.min(10, plan.retries() - retriesLeft - 1);
                    long delay = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, cap)); // full jitter
                    retryTarget = a.target;
                    waitTimer = vertx.setTimer(delay, t -> retrySame());
                    return;
                }
            }
            default -> { }
        }
        if (!active.isEmpty()) return; // the hedge (or primary) still running may answer
        launchNext();
    }

    private void retrySame() {
        waitTimer = -1;
        if (finished) return;
        Target t = retryTarget;
        TargetHealth h = walk.health(t);
        if (walk.tryAcquire(h)) startAttempt(t, h, false);
        else launchNext();
    }

    private static ApiError clientError(UpstreamFailure f) {
        return f.clientError() != null ? f.clientError()
                : new ApiError(f.status(), "invalid_request_error", null, null, f.message());
    }

    private void noteRefusal(UpstreamFailure f) {
        refusal = clientError(f);
        refusals++;
    }

    private void noteRetryAfter(Duration d) {
        if (d != null && (soonestRetry == null || d.compareTo(soonestRetry) < 0)) soonestRetry = d;
    }

    private void allFailed() {
        ApiError e = FailureVerdict.allFailed(plan, log, refusal, refusals, strictParam);
        finished = true;
        stopRequestTimers();
        Duration retry = e.status() == 503 ? (soonestRetry != null ? soonestRetry : Duration.ofSeconds(1)) : null;
        client.sendError(e, provenance(lastTried, null), retry);
        report(lastTried, e.status(), null, 0, e.type(), false);
    }

    void finishWithError(ApiError e, Target target, String dropped) {
        if (finished) return;
        cancelOthers();
        finished = true;
        stopRequestTimers();
        client.sendError(e, provenance(target, dropped), null);
        report(target, e.status(), null, 0, e.type(), false);
    }

    private void deadlineExpired() {
        deadlineTimeout = null;
        if (finished) return;
        long ms = millis(System.nanoTime() - startNanos);
        for (Attempt a : List.copyOf(active)) {
            if (a.committed && a.relay != null) {
                a.relay.error(UpstreamFailure.timeout("request deadline " + ms + "ms"));
                return;
            }
        }
        for (Attempt a : List.copyOf(active)) {
            active.remove(a);
            a.abandon(timeouts);
            a.healthFailure();
            log.add(entry(a, a.label("timeout"), System.nanoTime(), "request deadline reached", a.usage, -1));
        }
        finished = true;
        stopRequestTimers();
        ApiError e = new ApiError(504, "api_error", "deadline_exceeded", null, "The request deadline (" + ms
                + "ms) passed before any target answered: " + log.failureSummary() + ".");
        client.sendError(e, provenance(lastTried, null), null);
        report(lastTried, 504, null, 0, e.type(), false);
    }

    private void clientGone() {
        if (finished) return;
        finished = true;
        stopRequestTimers();
        Attempt main = active.isEmpty() ? null : active.get(0);
        for (Attempt a : List.copyOf(active)) {
            active.remove(a);
            a.abandon(timeouts);
            a.healthRelease();
            long nanos = System.nanoTime() - a.startNanos;
            if (a.logIndex >= 0) {
                upstreamNanos += System.nanoTime() - a.commitNanos;
                // a committed stream: its tokens stay on its 200 entry
                log.replace(a.logIndex, log.get(a.logIndex).finished(nanos, a.usage));
                log.add(a.target.id(), "client_closed", millis(nanos), "client disconnected");
            } else {
                log.add(entry(a, a.label("client_closed"), System.nanoTime(), "client disconnected", a.usage, -1));
            }
        }
        Target t = main != null ? main.target : null;
        report(t, 499, main != null ? main.usage : null, main != null ? main.ttftNanos : 0, "client_closed", main != null && main.committed);
    }

    /** Cancels every active attempt but the winner; a lost hedge is neither a success nor a failure. */
    private void cancelOthers() {
        for (Attempt o : List.copyOf(active)) {
            active.remove(o);
            o.abandon(timeouts);
            o.healthRelease();
            log.add(entry(o, o.label("hedge_lost"), System.nanoTime(), "cancelled: another target answered first", o.usage, -1));
        }
    }

    private void stopRequestTimers() {
        timeouts.cancel(deadlineTimeout);
        if (hedgeTimer >= 0) vertx.cancelTimer(hedgeTimer);
        if (waitTimer >= 0) vertx.cancelTimer(waitTimer);
        deadlineTimeout = null;
        hedgeTimer = waitTimer = -1;
    }

    // ---- used by StreamRelay ----

    boolean isCurrent(Attempt a) {
        return !finished && active.contains(a);
    }

    /** The stream reached its first content token: this attempt wins; headers go out now. */
    void commit(Attempt a) {
        long now = System.nanoTime();
        a.ttftNanos = now - startNanos;
        a.commitNanos = now;
        upstreamNanos += now - a.startNanos;
        long ms = millis(now - a.startNanos);
        a.logIndex = log.add(entry(a, a.label(Attempt.status(a.response.status())), now, null, null, ms));
        a.committed = true;
        active.remove(a);
        cancelOthers();
        active.add(a);
        if (hedgeTimer >= 0) {
            vertx.cancelTimer(hedgeTimer);
            hedgeTimer = -1;
        }
        client.startStream(provenance(a.target, a.dropped));
    }

    /** The committed stream ended: completely ({@code failure == null}) or broken. */
    void streamEnded(Attempt a, UpstreamFailure failure) {
        if (finished) return;
        finished = true;
        active.remove(a);
        stopRequestTimers();
        a.stopTimers(timeouts);
        long now = System.nanoTime();
        long ms = millis(now - a.startNanos);
        if (a.logIndex >= 0) { // always: a stream is committed before it can end (StreamRelay commits on done)
            upstreamNanos += now - a.commitNanos; // relaying a committed stream is upstream time, not gateway overhead
            log.replace(a.logIndex, log.get(a.logIndex).finished(now - a.startNanos, a.usage));
        }
        if (failure != null) {
            a.abandon(timeouts);
            a.healthFailure();
            log.add(a.target.id(), a.label(failure.label()), ms, failure.message());
        } else {
            a.healthSuccess(a.ttftNanos - (a.startNanos - startNanos), now - a.startNanos);
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
                keyName, request.op(), traceParent));
    }

    /** A log entry for an attempt that ran from its start until {@code nowNanos}, placed on the request's timeline. */
    private AttemptLog.Attempt entry(Attempt a, String outcome, long nowNanos, String detail, Usage usage, long ttftMillis) {
        long nanos = nowNanos - a.startNanos;
        return new AttemptLog.Attempt(a.target.id(), outcome, nanos / 1_000_000, detail, usage, ttftMillis,
                a.startNanos - startNanos, nanos);
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
