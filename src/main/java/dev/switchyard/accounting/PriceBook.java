package dev.switchyard.accounting;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices per target ({@code provider/upstream-model}) for one configuration: {@code pricing.overrides} first,
 * then the bundled catalog. Each target is resolved once and cached, so costing a request is a map lookup and
 * a few multiplications. A target with no price costs {@code null} — never a silent 0 — and every such
 * request is counted; the first one per target is logged.
 */
public final class PriceBook {
    private static final Logger LOG = LoggerFactory.getLogger(PriceBook.class);
    private static final BigDecimal PER_MTOK = BigDecimal.valueOf(1_000_000);
    /** Direct addressing lets clients name any model: the cache stops growing here and lookups go uncached. */
    private static final int MAX_CACHED = 4096;

    /**
     * @param price  null when the target has no price
     * @param source {@code override}, {@code catalog:<key>} or {@code override+catalog:<key>}; null when unpriced
     */
    public record Resolved(String target, ModelPrice price, String source) {}

    private final PriceCatalog catalog;
    private final Map<String, String> providerTypes;
    private final Map<String, GatewayConfig.PriceOverride> overrides;
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final AtomicLong unpriced = new AtomicLong();

    public PriceBook(PriceCatalog catalog, Map<String, String> providerTypes, Map<String, GatewayConfig.PriceOverride> overrides) {
        this.catalog = catalog;
        this.providerTypes = Map.copyOf(providerTypes);
        this.overrides = Map.copyOf(overrides);
    }

    public static PriceBook of(GatewayConfig config) {
        return of(config, PriceCatalog.bundled());
    }

    public static PriceBook of(GatewayConfig config, PriceCatalog catalog) {
        Map<String, String> types = new LinkedHashMap<>();
        for (ProviderConfig p : config.providers().values()) types.put(p.name(), p.type());
        return new PriceBook(catalog, types, config.priceOverrides());
    }

    public String version() {
        return catalog.version();
    }

    /** Requests (or attempts) that consumed tokens on a target without a price. */
    public long unpricedCount() {
        return unpriced.get();
    }

    /**
     * Input plus output price in USD per million tokens, for lowest-cost ordering; NaN when the target has no
     * price. A rough blend, but the same blend for every target, so the order is fair.
     */
    public double blendedPerMtok(String target) {
        ModelPrice p = resolve(target).price();
        if (p == null || p.input() == null || p.output() == null) return Double.NaN;
        return p.input().add(p.output()).doubleValue() * 1_000_000;
    }

    public Resolved resolve(String target) {
        Resolved r = cache.get(target);
        if (r != null) return r;
        r = compute(target);
        if (cache.size() < MAX_CACHED) cache.put(target, r);
        return r;
    }

    /**
     * The cost header's price: like {@link #cost} but an unpriced target is not counted (the usage record counts it).
     * Remembered for the thread, so the record pricing the same answer right after does not compute it again.
     */
    public BigDecimal quote(String target, Usage usage) {
        if (usage == null || target == null) return null;
        Resolved r = resolve(target);
        if (r.price == null) return null;
        BigDecimal c = CostCalculator.cost(r.price, usage);
        Object[] last = LAST_QUOTE.get();
        last[0] = this;
        last[1] = usage;
        last[2] = target;
        last[3] = c;
        return c;
    }

    /** The last quote of this thread: book, usage (by identity: records are immutable), target, cost. */
    private static final ThreadLocal<Object[]> LAST_QUOTE = ThreadLocal.withInitial(() -> new Object[4]);

    /**
     * @return the exact cost in USD; null when the usage is unknown, or when the target has no price (counted
     *         and, once per target, logged)
     */
    public BigDecimal cost(String target, Usage usage) {
        if (usage == null || target == null) return null;
        Object[] last = LAST_QUOTE.get();
        if (last[0] == this && last[1] == usage && target.equals(last[2])) return (BigDecimal) last[3];
        Resolved r = resolve(target);
        if (r.price == null) {
            if (usage.inputTokens() == 0 && usage.outputTokens() == 0) return BigDecimal.ZERO;
            unpriced.incrementAndGet();
            if (warned.add(target)) {
                LOG.warn("no price for {}: its cost is recorded as unknown (null). Add pricing.overrides.\"{}\" "
                        + "with input_per_mtok/output_per_mtok to price it.", target, target);
            }
            return null;
        }
        return CostCalculator.cost(r.price, usage);
    }

    private Resolved compute(String target) {
        int slash = target.indexOf('/');
        String provider = slash > 0 ? target.substring(0, slash) : target;
        String model = slash > 0 ? target.substring(slash + 1) : "";
        CatalogEntry entry = catalog.lookup(providerTypes.get(provider), model);
        GatewayConfig.PriceOverride o = overrides.get(target);
        if (o == null) {
            return entry == null ? new Resolved(target, null, null) : new Resolved(target, entry.price(), "catalog:" + entry.key());
        }
        ModelPrice base = entry == null ? null : entry.price();
        boolean flat = o.inputPerMtok() != null || o.outputPerMtok() != null;
        ModelPrice merged = new ModelPrice(
                perToken(o.inputPerMtok(), base == null ? null : base.input()),
                perToken(o.outputPerMtok(), base == null ? null : base.output()),
                perToken(o.cacheReadPerMtok(), base == null ? null : base.cacheRead()),
                perToken(o.cacheWritePerMtok(), base == null ? null : base.cacheWrite()),
                // the catalog's reasoning and long-context prices belong to its base prices: an operator who
                // sets their own input/output price gets exactly that, flat
                flat || base == null ? null : base.reasoning(),
                flat || base == null ? null : base.tier());
        if (merged.input() == null && merged.output() == null) return new Resolved(target, null, null);
        return new Resolved(target, merged, entry == null ? "override" : "override+catalog:" + entry.key());
    }

    private static BigDecimal perToken(Double perMtok, BigDecimal fallback) {
        // BigDecimal.valueOf(double) takes the double's shortest decimal text: 0.15 stays 0.15, exactly
        return perMtok == null ? fallback : BigDecimal.valueOf(perMtok).divide(PER_MTOK);
    }
}
