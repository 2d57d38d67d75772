package dev.switchyard.accounting;

import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.CostQuote;
import dev.switchyard.resilience.ExchangeOutcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns each {@link ExchangeOutcome} into a {@link UsageRecord}: every attempt costed on its own target, the
 * request's tokens and cost summed over them, strings bounded and stripped of control characters (they reach
 * SQL and JSON lines). Runs on the event loop, so it only builds objects and hands them to the sink (the
 * ledger's bounded queue).
 */
public final class UsageRecorder implements Consumer<ExchangeOutcome> {
    private final Supplier<PriceBook> prices;
    private final Consumer<UsageRecord> sink;

    public UsageRecorder(PriceBook prices, Consumer<UsageRecord> sink) {
        this(() -> prices, sink);
    }

    /** @param prices the live price book (it changes when price overrides do) */
    public UsageRecorder(Supplier<PriceBook> prices, Consumer<UsageRecord> sink) {
        this.prices = prices;
        this.sink = sink;
    }

    /**
     * The last outcome this thread recorded and its cost: metrics read the cost right after, on the same thread,
     * so it is computed once per request instead of twice.
     */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    @Override
    public void accept(ExchangeOutcome o) {
        UsageRecord r = record(o);
        Object[] last = LAST.get();
        last[0] = o;
        last[1] = r.costUsd();
        sink.accept(r);
    }

    /** The request's cost as the ledger records it (null when unknown). */
    public BigDecimal cost(ExchangeOutcome o) {
        Object[] last = LAST.get();
        if (last[0] == o) return (BigDecimal) last[1];
        return record(o).costUsd();
    }

    /** Header pricing for non-streaming answers; does not count unpriced targets (the record will). */
    public static CostQuote quote(PriceBook prices) {
        return quote(() -> prices);
    }

    public static CostQuote quote(Supplier<PriceBook> prices) {
        return (target, usage) -> {
            BigDecimal c = prices.get().quote(target.id(), usage);
            return c == null ? null : CostCalculator.format(c);
        };
    }

    public UsageRecord record(ExchangeOutcome o) {
        PriceBook prices = this.prices.get();
        List<AttemptLog.Attempt> log = o.attempts() == null ? List.of() : o.attempts().attempts();
        int withUsage = 0;
        for (AttemptLog.Attempt a : log) if (a.usage() != null) withUsage++;
        // outcomes built without per-attempt usage: the answer's usage belongs to its last entry
        int fallback = withUsage == 0 && o.usage() != null ? lastIndexOf(log, o.target()) : -1;

        List<UsageRecord.AttemptRecord> attempts = new ArrayList<>(log.size());
        long in = 0, cached = 0, written = 0, out = 0, reasoning = 0;
        BigDecimal cost = BigDecimal.ZERO;
        boolean costKnown = true;
        boolean answered = false;
        for (int i = 0; i < log.size(); i++) {
            AttemptLog.Attempt a = log.get(i);
            Usage u = i == fallback ? o.usage() : a.usage();
            answered |= a.outcome().startsWith("2");
            BigDecimal c = null;
            if (u != null) {
                in += u.inputTokens();
                cached += u.cachedTokens();
                written += u.cacheWriteTokens();
                out += u.outputTokens();
                reasoning += u.reasoningTokens();
                c = prices.cost(a.target(), u);
                if (c == null) costKnown = false;
                else cost = cost.add(c);
            } else if (a.outcome().startsWith("2")) {
                costKnown = false; // an answer whose tokens the upstream never reported
            }
            String[] pm = split(a.target());
            attempts.add(new UsageRecord.AttemptRecord(i + 1, pm[0], pm[1], clean(a.outcome(), 40), a.millis(),
                    a.ttftMillis(), u, c, clean(a.detail(), 300)));
        }
        if (!answered && o.usage() == null && withUsage == 0 && o.status() == 200) costKnown = false;
        String[] pm = split(o.target());
        return new UsageRecord(clean(o.requestId(), 128), o.startEpochMillis(), KEY_NAMES.clean(o.keyName()),
                ROUTES.clean(o.publicModel()), pm[0], pm[1], o.stream(), o.status(), clean(o.errorType(), 64), o.truncated(),
                new Usage(in, cached, written, out, reasoning), costKnown ? cost : null, prices.version(),
                o.totalNanos() / 1000, o.ttftNanos() > 0 ? o.ttftNanos() / 1000 : -1, o.overheadNanos() / 1000,
                List.copyOf(attempts));
    }

    private static int lastIndexOf(List<AttemptLog.Attempt> log, String target) {
        for (int i = log.size() - 1; i >= 0; i--) if (log.get(i).target().equals(target)) return i;
        return -1;
    }

    /** Targets seen so far, split: there are few (they come from the configuration), and every request names one. */
    private static final ConcurrentHashMap<String, String[]> SPLIT = new ConcurrentHashMap<>();
    private static final String[] NO_TARGET = {null, null};

    /** {@code provider/model} → both parts, bounded; nulls when there is no target. The array is shared: read only. */
    private static String[] split(String target) {
        if (target == null) return NO_TARGET;
        String[] parts = SPLIT.get(target);
        if (parts != null) return parts;
        int slash = target.indexOf('/');
        parts = slash < 0 ? new String[] {clean(target, 128), null}
                : new String[] {clean(target.substring(0, slash), 128), clean(target.substring(slash + 1), 256)};
        if (SPLIT.size() < 4096) SPLIT.put(target, parts); // a bound, in case targets ever come from requests
        return parts;
    }

    private static final CleanMemo KEY_NAMES = new CleanMemo(200);
    private static final CleanMemo ROUTES = new CleanMemo(256);

    /**
     * {@link #clean} for a field that carries the same configured string on most requests (a key's name, a public
     * model): the last string cleaned and its result, kept by identity, so a repeat costs one comparison.
     */
    private static final class CleanMemo {
        private record Last(String raw, String clean) {}

        private final int max;
        private volatile Last last = new Last(null, null);

        CleanMemo(int max) {
            this.max = max;
        }

        String clean(String s) {
            Last l = last;
            if (l.raw == s) return l.clean;
            String c = UsageRecorder.clean(s, max);
            last = new Last(s, c);
            return c;
        }
    }

    /** Bounded, printable text: client-chosen strings (model names, request ids) end up in SQL and JSON lines. */
    static String clean(String s, int max) {
        if (s == null) return null;
        int n = Math.min(s.length(), max);
        boolean ok = n == s.length();
        for (int i = 0; ok && i < n; i++) ok = s.charAt(i) >= 0x20 && s.charAt(i) != 0x7f;
        if (ok) return s;
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? ' ' : ch);
        }
        return b.toString();
    }
}
