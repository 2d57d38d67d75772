package dev.switchyard.accounting;

import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact cost of one upstream answer: BigDecimal throughout, so no float drift however many requests are
 * summed. The rules:
 * <ul>
 *   <li>uncached input ({@code input − cached − cache write}) at the input price, cached tokens at the cache-read
 *       price, cache writes at the cache-write price (each missing price falls back to the input price);</li>
 *   <li>output at the output price, except reasoning tokens at the reasoning price when the model has one;</li>
 *   <li>when the prompt ({@code inputTokens}, cached included) exceeds the model's long-context threshold, the
 *       tier's prices replace the base prices for the whole request, as Anthropic and Gemini bill it.</li>
 * </ul>
 * Streams are costed exactly like non-streams: the gateway always asks streaming upstreams for usage.
 */
public final class CostCalculator {
    /** Nano-dollars per dollar: the ledger stores costs as integer nano-USD. */
    private static final int NANO_DIGITS = 9;

    private CostCalculator() {}

    public static BigDecimal cost(ModelPrice p, Usage u) {
        long input = Math.max(0, u.inputTokens());
        long cached = clamp(u.cachedTokens(), input);
        long written = clamp(u.cacheWriteTokens(), input - cached);
        long plain = input - cached - written;
        long output = Math.max(0, u.outputTokens());
        long reasoning = clamp(u.reasoningTokens(), output);

        ModelPrice.Tier t = p.tier() != null && input > p.tier().above() ? p.tier() : null;
        BigDecimal in = pick(t == null ? null : t.input(), p.input());
        BigDecimal out = pick(t == null ? null : t.output(), p.output());
        BigDecimal read = pick(t == null ? null : t.cacheRead(), p.cacheRead());
        BigDecimal write = pick(t == null ? null : t.cacheWrite(), p.cacheWrite());
        if (in == null) in = BigDecimal.ZERO;   // e.g. an output-only price: the catalog bills no input
        if (out == null) out = BigDecimal.ZERO; // e.g. embeddings
        if (read == null) read = in;
        if (write == null) write = in;
        BigDecimal think = p.reasoning() != null ? p.reasoning() : out;

        return times(in, plain).add(times(read, cached)).add(times(write, written))
                .add(times(out, output - reasoning)).add(times(think, reasoning));
    }

    /** The cost as integer nano-dollars (half-even), the ledger's unit; null stays null. */
    public static Long toNanos(BigDecimal usd) {
        if (usd == null) return null;
        BigDecimal n = usd.movePointRight(NANO_DIGITS);
        // usually no digits below a nano-dollar: then no rounding (and no further BigDecimal) is needed
        return n.scale() <= 0 ? n.longValueExact() : n.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    public static BigDecimal fromNanos(long nanos) {
        return BigDecimal.valueOf(nanos, NANO_DIGITS).stripTrailingZeros();
    }

    /** Plain decimal text without exponent or trailing zeros: what {@code x-switchyard-cost-usd} carries. */
    public static String format(BigDecimal usd) {
        return usd.signum() == 0 ? "0" : usd.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal times(BigDecimal price, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens));
    }

    private static BigDecimal pick(BigDecimal tier, BigDecimal base) {
        return tier != null ? tier : base;
    }

    private static long clamp(long v, long max) {
        return Math.max(0, Math.min(v, max));
    }
}
