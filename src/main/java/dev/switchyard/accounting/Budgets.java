package dev.switchyard.accounting;

import dev.switchyard.auth.Budget;
import dev.switchyard.auth.ClientIdentity;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Spend per key — today (UTC), this month (UTC) and in total — kept in memory so a budget check never waits for
 * the database: loaded from the ledger at startup, then updated from every usage record (streams and failed but
 * billed attempts included: their per-attempt costs). Admission reserves the request's estimated cost and refuses
 * when {@code spent + reserved + estimate} would pass a limit; the reservation is released when the request ends,
 * after its real cost has been added. So at every moment {@code spent + reserved ≤ budget}, and a budget can only
 * be overshot by how much the requests in flight cost <em>beyond their estimates</em> (see docs/operations.md).
 */
public final class Budgets {
    private static final long DAY_MS = 86_400_000L;

    /** The periods a budget may limit, in the order a refusal names them (the longest-lasting first). */
    public enum Period {
        TOTAL("usd_total", "total"), MONTH("usd_per_month", "monthly"), DAY("usd_per_day", "daily");

        public final String field;
        public final String adjective;

        Period(String field, String adjective) {
            this.field = field;
            this.adjective = adjective;
        }
    }

    /** What an admitted request holds until it ends; {@link #NONE} for keys without a budget. */
    public record Reservation(String key, long nanos) {
        public static final Reservation NONE = new Reservation(null, 0);
    }

    /**
     * Why a request was refused.
     *
     * @param resetsAt when the period's spend starts again from zero; null for the total budget (never)
     */
    public record Refusal(String key, Period period, long limitNanos, long spentNanos, long reservedNanos, long estimateNanos,
            Instant resetsAt) {}

    /** Either a reservation or a refusal. */
    public record Admission(Reservation reservation, Refusal refusal) {
        public boolean allowed() {
            return refusal == null;
        }
    }

    /** Spend as loaded from the ledger (nano-USD), for {@link #load}. */
    public record Loaded(String key, long today, long thisMonth, long total) {}

    /** A key's current spend and in-flight reservations, nano-USD. */
    public record Spent(long today, long thisMonth, long total, long reserved) {}

    private final ConcurrentHashMap<String, KeySpend> byKey = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final Supplier<PriceBook> prices;

    /** @param clock epoch milliseconds; @param prices the live price book, for estimates */
    public Budgets(LongSupplier clock, Supplier<PriceBook> prices) {
        this.clock = clock;
        this.prices = prices;
    }

    /** Replaces the spend of the given keys (startup, from the ledger; amounts as of now). */
    public void load(List<Loaded> rows) {
        long now = clock.getAsLong();
        for (Loaded r : rows) {
            KeySpend s = spend(r.key());
            synchronized (s) {
                s.roll(now);
                s.day = r.today();
                s.month = r.thisMonth();
                s.total = r.total();
            }
        }
    }

    /**
     * The most a request may cost before it runs: its prompt ({@code promptTokens}) and up to {@code outputTokens} of
     * answer on the most expensive of {@code targets}. Unpriced targets count 0 (they cannot be budgeted).
     */
    public long estimateNanos(List<String> targets, long promptTokens, long outputTokens) {
        PriceBook book = prices.get();
        Usage u = new Usage(promptTokens, 0, 0, outputTokens, 0);
        long max = 0;
        for (String t : targets) {
            ModelPrice p = book.resolve(t).price();
            if (p != null) max = Math.max(max, CostCalculator.toNanos(CostCalculator.cost(p, u)));
        }
        return max;
    }

    /** Reserves {@code estimateNanos} for a request of {@code who}, or says which budget refuses it. */
    public Admission admit(ClientIdentity who, long estimateNanos) {
        Budget b = who.budget();
        if (b == null || !b.isSet()) return new Admission(Reservation.NONE, null);
        long now = clock.getAsLong();
        KeySpend s = spend(who.name());
        synchronized (s) {
            s.roll(now);
            for (Period p : Period.values()) {
                Long limit = limit(b, p);
                long spent = s.of(p);
                if (limit != null && spent + s.reserved + estimateNanos > limit) {
                    return new Admission(null, new Refusal(who.name(), p, limit, spent, s.reserved, estimateNanos, resetsAt(p, now)));
                }
            }
            s.reserved += estimateNanos;
        }
        return new Admission(new Reservation(who.name(), estimateNanos), null);
    }

    /** Ends a request's reservation; call after its real cost went through {@link #record}. */
    public void release(Reservation r) {
        if (r == null || r.key() == null) return;
        KeySpend s = spend(r.key());
        synchronized (s) {
            s.reserved -= r.nanos();
        }
    }

    /** Adds a finished request's cost — every attempt that was billed — to its key's spend. */
    public void record(UsageRecord r) {
        if (r.keyName() == null) return;
        long nanos = 0;
        for (UsageRecord.AttemptRecord a : r.attempts()) {
            BigDecimal c = a.costUsd();
            if (c != null) nanos += CostCalculator.toNanos(c);
        }
        if (nanos == 0) return;
        KeySpend s = spend(r.keyName());
        long now = clock.getAsLong();
        synchronized (s) {
            s.roll(now);
            if (Math.floorDiv(r.startEpochMillis(), DAY_MS) == s.dayIndex) s.day += nanos;
            if (monthIndex(r.startEpochMillis()) == s.monthIndex) s.month += nanos;
            s.total += nanos;
        }
    }

    public Spent spent(String key) {
        KeySpend s = byKey.get(key);
        if (s == null) return new Spent(0, 0, 0, 0);
        synchronized (s) {
            s.roll(clock.getAsLong());
            return new Spent(s.day, s.month, s.total, s.reserved);
        }
    }

    /** Spend of every key seen so far. */
    public Map<String, Spent> all() {
        Map<String, Spent> out = new java.util.TreeMap<>();
        for (String k : byKey.keySet()) out.put(k, spent(k));
        return out;
    }

    public static Long limit(Budget b, Period p) {
        return switch (p) {
            case DAY -> b.perDay();
            case MONTH -> b.perMonth();
            case TOTAL -> b.total();
        };
    }

    /** Start of the next UTC day or month; null for the total. */
    public static Instant resetsAt(Period p, long nowMillis) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MS));
        return switch (p) {
            case DAY -> today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> today.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case TOTAL -> null;
        };
    }

    /** Epoch milliseconds at which today and this month (UTC) began. */
    public static long dayStart(long nowMillis) {
        return Math.floorDiv(nowMillis, DAY_MS) * DAY_MS;
    }

    public static long monthStart(long nowMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MS)).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant().toEpochMilli();
    }

    private static long monthIndex(long millis) {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(millis, DAY_MS));
        return d.getYear() * 12L + d.getMonthValue();
    }

    private KeySpend spend(String key) {
        KeySpend s = byKey.get(key);
        return s != null ? s : byKey.computeIfAbsent(key, k -> new KeySpend());
    }

    /** One key's counters; guarded by its own monitor. */
    private static final class KeySpend {
        long dayIndex = Long.MIN_VALUE;
        long monthIndex = Long.MIN_VALUE;
        long day;
        long month;
        long total;
        long reserved;

        /** A new day or month starts from zero. */
        void roll(long now) {
            long d = Math.floorDiv(now, DAY_MS);
            if (d != dayIndex) {
                dayIndex = d;
                day = 0;
            }
            long m = monthIndex(now);
            if (m != monthIndex) {
                monthIndex = m;
                month = 0;
            }
        }

        long of(Period p) {
            return switch (p) {
                case DAY -> day;
                case MONTH -> month;
                case TOTAL -> total;
            };
        }
    }
}
