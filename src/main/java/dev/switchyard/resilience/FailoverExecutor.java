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
    private final CostQuote costs;

    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes) {
        this(vertx, outcomes, CostQuote.NONE);
    }

    /** @param costs prices non-streaming answers for the cost header */
    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes, CostQuote costs) {
        this.vertx = vertx;
        this.outcomes = outcomes;
        this.costs = costs;
    }

    /** @param startNanos when the request arrived, for overhead and latency */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos) {
        execute(requestId, request, plan, client, startNanos, null);
    }

    /** @param keyName the caller's key name, carried into the {@link ExchangeOutcome} */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos,
            String keyName) {
        new RequestRun(vertx, requestId, request, plan, client, startNanos, outcomes, costs, keyName).start();
    }
}
