package dev.switchyard.resilience;

import dev.switchyard.model.Usage;
import dev.switchyard.routing.Target;

/**
 * Prices an answer before it is written, for {@code x-switchyard-cost-usd} on non-streaming responses.
 * Accounting implements it; it must be cheap (prices resolved once per target).
 */
@FunctionalInterface
public interface CostQuote {
    CostQuote NONE = (target, usage) -> null;

    /** @return the cost in USD as plain decimal text, or null when unknown */
    String usd(Target target, Usage usage);
}
