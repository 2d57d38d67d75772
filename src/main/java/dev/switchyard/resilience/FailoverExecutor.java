package dev.switchyard.resilience;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.routing.RoutePlan;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Runs a request over its {@link RoutePlan}: attempts in the strategy's order, failing over on transient
 * failures, skipping open breakers and cooling targets, hedging when the route asks for it, until an answer
 * reaches the client or every target has failed. Built once; each request gets its own {@link RequestRun}.
 */
public final class FailoverExecutor {
    private final Vertx vertx;
    private final Consumer<ExchangeOutcome> outcomes;
    private final RoutingFacts routing;
    private final CostQuote costs;

    /** @param costs prices non-streaming answers for the cost header */
    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes, RoutingFacts routing, CostQuote costs) {
        this.vertx = vertx;
        this.outcomes = outcomes;
        this.routing = routing;
        this.costs = costs;
    }

    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes, RoutingFacts routing) {
        this(vertx, outcomes, routing, CostQuote.NONE);
    }

    public FailoverExecutor(Vertx vertx, Consumer<ExchangeOutcome> outcomes) {
        this(vertx, outcomes, RoutingFacts.withoutCatalog(HealthRegistry.system()));
    }

    public RoutingFacts routing() {
        return routing;
    }

    /** @param startNanos when the request arrived, for overhead and latency */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos,
            GatewayConfig.Routing policy) {
        execute(requestId, request, plan, client, startNanos, policy, null, null);
    }

    /**
     * @param keyName the caller's key name (never the secret), carried into the {@link ExchangeOutcome}
     * @param onDone  also told of this request's outcome (e.g. to reconcile its rate-limit reservation), or null
     */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos,
            GatewayConfig.Routing policy, String keyName, Consumer<ExchangeOutcome> onDone) {
        execute(requestId, request, plan, client, startNanos, System.currentTimeMillis(), policy, keyName, null, onDone);
    }

    /**
     * @param startEpochMillis when the request arrived, as the ledger records it (the same millisecond a minted
     *                         request id carries, so the ledger finds such a request by its id alone)
     * @param traceParent      the client's {@code traceparent} header or null, passed on to the {@link ExchangeOutcome}
     */
    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos,
            long startEpochMillis, GatewayConfig.Routing policy, String keyName, String traceParent,
            Consumer<ExchangeOutcome> onDone) {
        Consumer<ExchangeOutcome> sink = onDone == null ? outcomes : outcomes.andThen(onDone);
        new RequestRun(vertx, requestId, request, plan, client, startNanos, startEpochMillis, sink, routing, policy, costs,
                keyName, traceParent).start();
    }

    public void execute(String requestId, InboundRequest request, RoutePlan plan, ClientChannel client, long startNanos) {
        execute(requestId, request, plan, client, startNanos, GatewayConfig.Routing.DEFAULT);
    }
}
