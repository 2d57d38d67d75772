package dev.switchyard.accounting;

import java.math.BigDecimal;

/**
 * USD per token for one model, exact decimals. Null means "the catalog has no such price": the calculator
 * then falls back as documented in {@link CostCalculator}.
 *
 * @param reasoning price of hidden reasoning tokens when it differs from output, else null
 * @param tier      long-context prices, or null
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
        BigDecimal reasoning, Tier tier) {

    /**
     * Prices that apply to the whole request when its prompt exceeds {@code above} tokens
     * (LiteLLM's {@code *_above_200k_tokens} fields). Null fields fall back to the base price.
     */
    public record Tier(long above, BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {}
}
