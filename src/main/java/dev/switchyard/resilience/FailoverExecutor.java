package dev.switchyard.resilience;

import dev.switchyard.model.InboundRequest;
import dev.switchyard.routing.RoutePlan;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Runs a request over its {@link RoutePlan}: one attempt at a time, failing over on transient
 * failures, until an answer reaches the client or every target has failed. Built once; each request
 * gets its own {@link RequestRun}.
 */
public final class FailoverExecutor {
    private final Vertx vertx;
    private final Consumer<ExchangeOutcome> outcomes;

    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes) {
        this.vertx = vertx;
        this.outcomes = outcomes;
    }

    /** @param startNanos when the request arrived, for overhead and latency */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos) {
        execute(requestId, request, plan, client, startNanos, null);
    }

    /** @param traceParent the client's {@code traceparent} header or null, passed on to the {@link ExchangeOutcome} */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos,
            String traceParent) {
        new RequestRun(vertx, requestId, request, plan, client, startNanos, outcomes, traceParent).start();
    }
}
