package dev.switchyard.store;

import dev.switchyard.accounting.CostCalculator;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.List;

/**
 * A usage record as the ledger queues it: one flat object of numbers, made on the event loop when the record is
 * handed over, bound by the writer as it is. Why not queue the record itself: it is a graph of eight or so objects
 * (id text, usage, costs as BigDecimal, the attempts list…), and a record waits in the queue for up to a batch window,
 * so it survives young collections; each one was copied by the collector, and chased by the writer through cache
 * misses (it was built a batch window earlier, on the same core). Measured under load: young collections took ~40%
 * longer with the records queued. The names are the configuration's own strings, shared, so they cost nothing here.
 *
 * <p>The record itself is kept only when its attempts need rows of their own (not a {@linkplain LedgerSql#solo solo}
 * attempt); otherwise {@link #toRecord()} rebuilds it, exactly as the ledger stores it, for the spill file.
 */
final class LedgerRow {
    static final long NONE = Long.MIN_VALUE;
    private static final long HALF = 1L << 31;

    final long ts;
    final long rid;
    /** the id when a client chose it; null for a minted id (rebuilt from ts and rid) */
    final String clientId;
    final String key;
    final String route;
    final String provider;
    final String model;
    final String catalog;
    final String error;
    final boolean stream;
    final int status;
    final boolean truncated;
    final int attempts;
    final long input;
    final long cached;
    final long cacheWrite;
    final long output;
    final long reasoning;
    /** nano-USD, or {@link #NONE} when unknown */
    final long costNanos;
    final long latencyUs;
    /** or {@link #NONE} */
    final long ttftUs;
    final long overheadUs;
    /** the solo attempt's duration, or {@link #NONE} when the attempts have rows of their own */
    final long soloLatencyMs;
    /** or {@link #NONE} */
    final long soloTtftMs;
    /** 1: the solo attempt reported usage; 0: it did not; -1: no solo attempt */
    final int soloUsage;
    /** set when the attempts need rows of their own */
    final UsageRecord record;
    /** the key, picked by the writer ({@link LedgerRows#firstSeq}) */
    long seq;

    private LedgerRow(UsageRecord r, UsageRecord.AttemptRecord solo) {
        Usage u = r.tokens() == null ? Usage.NONE : r.tokens();
        boolean minted = RequestIds.mintedMillis(r.id()) == r.startEpochMillis();
        ts = r.startEpochMillis();
        rid = LedgerRows.rid(r.id(), minted);
        clientId = minted ? null : r.id();
        key = r.keyName();
        route = r.route();
        provider = r.provider();
        model = r.model();
        catalog = r.catalogVersion();
        error = r.errorType();
        stream = r.stream();
        status = r.status();
        truncated = r.truncated();
        attempts = r.attempts().size();
        input = u.inputTokens();
        cached = u.cachedTokens();
        cacheWrite = u.cacheWriteTokens();
        output = u.outputTokens();
        reasoning = u.reasoningTokens();
        Long c = CostCalculator.toNanos(r.costUsd());
        costNanos = c == null ? NONE : c;
        latencyUs = r.latencyMicros();
        ttftUs = r.ttftMicros() >= 0 ? r.ttftMicros() : NONE;
        overheadUs = r.overheadMicros();
        soloLatencyMs = solo == null ? NONE : solo.latencyMillis();
        soloTtftMs = solo == null || solo.ttftMillis() < 0 ? NONE : solo.ttftMillis();
        soloUsage = solo == null ? -1 : solo.tokens() != null ? 1 : 0;
        record = solo == null && !r.attempts().isEmpty() ? r : null;
    }

    static LedgerRow of(UsageRecord r) {
        return new LedgerRow(r, LedgerSql.solo(r));
    }

    boolean solo() {
        return soloLatencyMs != NONE;
    }

    /** Every packed number in range (name ids aside: {@link LedgerRows#packs}). */
    boolean packs() {
        return status >= 0 && status < 1024 && attempts >= 0 && attempts < (1 << 15) && half(input) && half(output)
                && half(cached) && half(cacheWrite) && half(reasoning) && half(latencyUs) && half(overheadUs)
                && (ttftUs == NONE || half(ttftUs + 1)) && (soloLatencyMs == NONE || half(soloLatencyMs + 1))
                && (soloTtftMs == NONE || half(soloTtftMs + 1));
    }

    private static boolean half(long v) {
        return v >= 0 && v < HALF;
    }

    /** The record as the ledger will read it back: costs at the ledger's nano-dollar precision. */
    UsageRecord toRecord() {
        if (record != null) return record;
        Usage tokens = new Usage(input, cached, cacheWrite, output, reasoning);
        BigDecimal cost = costNanos == NONE ? null : CostCalculator.fromNanos(costNanos);
        String id = clientId != null ? clientId : RequestIds.of(ts, rid);
        List<UsageRecord.AttemptRecord> list = solo()
                ? List.of(new UsageRecord.AttemptRecord(1, provider, model, Integer.toString(status), soloLatencyMs,
                        soloTtftMs == NONE ? -1 : soloTtftMs, soloUsage == 1 ? tokens : null, cost, null))
                : List.of();
        return new UsageRecord(id, ts, key, route, provider, model, stream, status, error, truncated, tokens, cost, catalog,
                latencyUs, ttftUs == NONE ? -1 : ttftUs, overheadUs, list);
    }
}
