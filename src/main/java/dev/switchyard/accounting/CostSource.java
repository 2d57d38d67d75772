package dev.switchyard.accounting;

import dev.switchyard.resilience.ExchangeOutcome;

/**
 * Where the metrics read a request's cost from. The ledger prices requests; metrics only count what it
 * computed, so the two never disagree. Until a price catalog is wired in, {@link #NONE} knows no cost and
 * the cost counter stays absent rather than reading zero.
 */
@FunctionalInterface
public interface CostSource {
    CostSource NONE = outcome -> null;

    /** @return the request's cost in USD, or null when it is unknown (no price for the model, no usage) */
    Double costUsd(ExchangeOutcome outcome);
}
