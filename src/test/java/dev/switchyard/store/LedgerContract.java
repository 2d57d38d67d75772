package dev.switchyard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ledger promises on every database it supports; one subclass per database, each against the real
 * thing (an SQLite file, a real PostgreSQL server).
 */
abstract class LedgerContract {
    @TempDir
    Path dir;

    /** store.url of a database that is up */
    abstract String storeUrl() throws Exception;

    /** Makes the database unavailable to the ledger's writer. */
    abstract void outage() throws Exception;

    /** Ends the outage. */
    abstract void recover() throws Exception;

    LedgerOptions options() throws Exception {
        StoreUrl url = StoreUrl.parse(storeUrl());
        // retries only when told (retryNow), so an outage lasts exactly as long as the test wants
        return new LedgerOptions(1024, 500, Duration.ofMillis(20), dir.resolve("spill.jsonl"), 8L * 1024 * 1024,
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(200), Duration.ofDays(30), Duration.ofMinutes(10));
    }

    Ledger open() throws Exception {
        return Ledger.open(StoreUrl.parse(storeUrl()), options());
    }

    static void flush(Ledger l) throws Exception {
        l.flush().get(30, TimeUnit.SECONDS);
    }

    static final Usage U1 = new Usage(1000, 200, 0, 300, 50);

    private static List<UsageRecord> batch(String prefix, int n, long ts) {
        List<UsageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Records.ok(prefix + i, ts + i, "app", "chat", "openai", "gpt-4o", U1, "0.00585", 1000 + i));
        }
        return out;
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            batch("r", 30, now).forEach(l);
            l.accept(Records.failedOver("fo", now + 100, "app", "chat", "anthropic", "claude-sonnet-4-5", new Usage(10, 0, 0, 5, 0),
                    "0.000105", "openai", "gpt-4o", U1, "0.00585", 90_000));
            flush(l);
            assertThat(l.stats().written()).isEqualTo(31);
        }
        try (Ledger l = open()) {
            UsageQueries q = new UsageQueries(l.database());
            List<UsageQueries.Listed> all = q.recent(new UsageQueries.RequestFilter(null, null, null, null, false, 0, Long.MAX_VALUE, 100));
            assertThat(all).hasSize(31);
            assertThat(all.get(0).request().id()).isEqualTo("fo");
            assertThat(all.get(0).attempts()).isEqualTo(2);
            UsageRecord fo = q.request("fo").orElseThrow();
            assertThat(fo.costUsd()).isEqualByComparingTo("0.005955");
            assertThat(fo.tokens()).isEqualTo(new Usage(1010, 200, 0, 305, 50));
            assertThat(fo.attempts()).extracting(UsageRecord.AttemptRecord::outcome).containsExactly("dropped", "200");
            assertThat(fo.attempts().get(0).costUsd()).isEqualByComparingTo("0.000105");
            assertThat(fo.attempts().get(0).tokens()).isEqualTo(new Usage(10, 0, 0, 5, 0));
            assertThat(fo.attempts().get(0).detail()).isEqualTo("upstream connection lost mid-stream");
            assertThat(fo.ttftMicros()).isEqualTo(40_000);
            UsageRecord r7 = q.request("r7").orElseThrow();
            assertThat(r7).usingRecursiveComparison().ignoringFields("attempts").isEqualTo(batch("r", 30, now).get(7));
        }
    }

    @Test
    void anOutageFailsNothingAndLosesNothing() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            batch("before", 5, now).forEach(l);
            flush(l);
            outage();
            try {
                batch("during", 7, now + 1000).forEach(l); // accept() returns at once whatever the database does
                flush(l);
                Ledger.Stats s = l.stats();
                assertThat(s.databaseUp()).isFalse();
                assertThat(s.spilled()).isEqualTo(7);
                assertThat(s.spillBytes()).isPositive();
                assertThat(s.dropped()).isZero();
            } finally {
                recover();
            }
            l.retryNow(); // before the next records, so they can never be spilled behind the database's back
            batch("after", 3, now + 2000).forEach(l);
            flush(l);
            Ledger.Stats s = l.stats();
            assertThat(s.databaseUp()).isTrue();
            assertThat(s.replayed()).isEqualTo(7);
            assertThat(s.spillBytes()).isZero();
            assertThat(s.written()).isEqualTo(15);
            List<UsageQueries.Listed> all = new UsageQueries(l.database())
                    .recent(new UsageQueries.RequestFilter(null, null, null, null, false, 0, Long.MAX_VALUE, 100));
            assertThat(all).extracting(x -> x.request().id()).hasSize(15).doesNotHaveDuplicates()
                    .contains("before0", "during0", "during6", "after2");
        }
    }

    @Test
    void spilledRecordsAreReplayedAfterARestart() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            flush(l);
            outage();
            try {
                batch("spilled", 4, now).forEach(l);
                flush(l);
                assertThat(l.stats().spilled()).isEqualTo(4);
            } finally {
                l.close(Duration.ofSeconds(10)); // closes while the database is still down: the records stay spilled
                recover();
            }
        }
        try (Ledger l = open()) {
            flush(l);
            assertThat(l.stats().replayed()).isEqualTo(4);
            assertThat(new UsageQueries(l.database()).request("spilled3")).isPresent();
        }
    }

    @Test
    void aLoneAnsweringAttemptLivesInItsRequestRowAndReadsBackWhole() throws Exception {
        long now = System.currentTimeMillis();
        Usage u = new Usage(120, 20, 0, 30, 5);
        UsageRecord plain = Records.ok("solo", now, "app", "chat", "openai", "gpt-4o", u, "0.00042", 8000);
        UsageRecord stream = new UsageRecord("solo-stream", now + 1, "app", "chat", "openai", "gpt-4o", true, 200, null, false, u,
                new BigDecimal("0.00042"), "2026-07-24", 9000, 3000, 120, List.of(
                        new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 8, 2, u, new BigDecimal("0.00042"), null)));
        // an answer without usage: still its request's row, with tokens unknown rather than 0
        // not describable by the request row: a failure with a detail, a broken stream
        UsageRecord failed = Records.failed("one-failure", now + 2, "app", "chat", "openai", "gpt-4o", 502, 3000);
        UsageRecord noUsage = new UsageRecord("no-usage", now + 3, "app", "chat", "openai", "gpt-4o", false, 200, null, false,
                Usage.NONE, null, "2026-07-24", 4000, -1, 100, List.of(
                        new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 3, -1, null, null, null)));
        UsageRecord truncated = new UsageRecord("truncated", now + 4, "app", "chat", "openai", "gpt-4o", true, 200, null, true, u,
                new BigDecimal("0.00042"), "2026-07-24", 9000, 3000, 120, List.of(
                        new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 8, 2, u, new BigDecimal("0.00042"), null)));
        List<UsageRecord> all = List.of(plain, stream, failed, noUsage, truncated);
        try (Ledger l = open()) {
            all.forEach(l);
            flush(l);
            assertThat(count(l, "SELECT COUNT(*) FROM attempts")).isEqualTo(2); // only the two the row cannot stand for
            assertThat(count(l, "SELECT COUNT(*) FROM attempt_log")).isEqualTo(5);
            UsageQueries q = new UsageQueries(l.database());
            for (UsageRecord r : all) {
                assertThat(q.request(r.id()).orElseThrow()).as(r.id()).usingRecursiveComparison()
                        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(r);
            }
            // spend per provider counts each attempt once, wherever it is stored
            List<UsageQueries.UsageRow> byProvider = q.usage(UsageQueries.GroupBy.PROVIDER, UsageQueries.Bucket.NONE, now, now + 10);
            assertThat(byProvider).singleElement().satisfies(row -> {
                assertThat(row.costNanos()).isEqualTo(3 * 420_000L);
                assertThat(row.tokens()).isEqualTo(new Usage(360, 60, 0, 90, 15));
                // the answer without usage is not an unpriced attempt: it has no tokens to price
                assertThat(row.unpriced()).isZero();
            });
        }
    }

    @Test
    void requestsAreFoundByMintedAndByClientChosenIds() throws Exception {
        long now = System.currentTimeMillis();
        Usage u = new Usage(10, 0, 0, 5, 0);
        String minted = RequestIds.mint(now);
        String lookalike = RequestIds.mint(now - 60_000); // a client sent an id of the minted shape, not its time
        try (Ledger l = open()) {
            l.accept(Records.ok(minted, now, "app", "chat", "openai", "gpt-4o", u, "0.0001", 1000));
            l.accept(Records.ok("trace-123", now + 1, "app", "chat", "openai", "gpt-4o", u, "0.0001", 2000));
            l.accept(Records.ok(lookalike, now + 2, "app", "chat", "openai", "gpt-4o", u, "0.0001", 3000));
            flush(l);
            // only the minted id leads back to its row's ts; the other two need the id index
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE by_id = 1")).isEqualTo(2);
            UsageQueries q = new UsageQueries(l.database());
            assertThat(q.request(minted).orElseThrow().latencyMicros()).isEqualTo(1000);
            assertThat(q.request("trace-123").orElseThrow().latencyMicros()).isEqualTo(2000);
            assertThat(q.request(lookalike).orElseThrow().latencyMicros()).isEqualTo(3000);
            assertThat(q.request(RequestIds.mint(now))).isEmpty();

            // a client reuses the minted id later: the latest request with that id is the answer
            l.accept(Records.ok(minted, now + 5, "app", "chat", "openai", "gpt-4o", u, "0.0001", 4000));
            flush(l);
            assertThat(q.request(minted).orElseThrow().latencyMicros()).isEqualTo(4000);
        }
    }

    private static long count(Ledger l, String sql) throws Exception {
        return l.database().read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void usageReportGroupsTokensSpendErrorsAndPercentiles() throws Exception {
        long hour = 3_600_000L;
        long t0 = (System.currentTimeMillis() / hour - 5) * hour; // five hours ago, on an hour boundary
        Usage small = new Usage(100, 0, 0, 10, 0);
        try (Ledger l = open()) {
            // hour 0: ten openai requests with latencies 1..10 ms, one failed over from anthropic
            for (int i = 1; i <= 9; i++) {
                l.accept(Records.ok("a" + i, t0 + i, i % 2 == 0 ? "team-a" : "team-b", "chat", "openai", "gpt-4o", small,
                        "0.00035", i * 1000L));
            }
            l.accept(Records.failedOver("a10", t0 + 10, "team-a", "chat", "anthropic", "claude-sonnet-4-5", new Usage(50, 0, 0, 5, 0),
                    "0.000225", "openai", "gpt-4o", small, "0.00035", 10_000));
            // hour 1: two mistral requests, one failed (502) with no tokens, one unpriced
            l.accept(Records.failed("b1", t0 + hour + 1, "team-a", "summarize", "mistral", "mistral-large-latest", 502, 20_000));
            l.accept(Records.ok("b2", t0 + hour + 2, "team-b", "summarize", "mistral", "mistral-large-latest", small, null, 40_000));
            flush(l);
            UsageQueries q = new UsageQueries(l.database());
            long from = t0;
            long to = t0 + 2 * hour;

            Map<String, UsageQueries.UsageRow> byProvider = index(q.usage(UsageQueries.GroupBy.PROVIDER, UsageQueries.Bucket.NONE, from, to),
                    UsageQueries.UsageRow::group);
            UsageQueries.UsageRow openai = byProvider.get("openai");
            assertThat(openai.requests()).isEqualTo(10);
            assertThat(openai.tokens()).isEqualTo(new Usage(1000, 0, 0, 100, 0));
            assertThat(openai.costNanos()).isEqualTo(3_500_000L); // 10 × $0.00035
            assertThat(openai.latencyUs()).containsExactly(5000, 9000, 10_000, 10_000); // nearest rank of 1..10 ms
            // anthropic answered nothing but billed the broken first attempt: spend lands where it was incurred
            UsageQueries.UsageRow anthropic = byProvider.get("anthropic");
            assertThat(anthropic.requests()).isZero();
            assertThat(anthropic.tokens()).isEqualTo(new Usage(50, 0, 0, 5, 0));
            assertThat(anthropic.costNanos()).isEqualTo(225_000L);
            UsageQueries.UsageRow mistral = byProvider.get("mistral");
            assertThat(mistral.requests()).isEqualTo(2);
            assertThat(mistral.errors()).isEqualTo(1);
            assertThat(mistral.unpriced()).isEqualTo(1);
            assertThat(mistral.costNanos()).isZero();
            assertThat(openai.failovers()).isEqualTo(1); // a10 ended on openai after anthropic broke
            assertThat(mistral.failovers()).isZero();
            assertThat(openai.ttftUs()).containsExactly(40_000, 40_000, 40_000, 40_000); // a10 is the only stream
            assertThat(mistral.ttftUs()).isEmpty();
            assertThat(mistral.avgTtftUs()).isNull();

            Map<String, UsageQueries.UsageRow> byTarget = index(q.usage(UsageQueries.GroupBy.TARGET, UsageQueries.Bucket.NONE, from, to),
                    UsageQueries.UsageRow::group);
            assertThat(byTarget).containsOnlyKeys("openai/gpt-4o", "anthropic/claude-sonnet-4-5", "mistral/mistral-large-latest");
            assertThat(byTarget.get("openai/gpt-4o").requests()).isEqualTo(10);
            assertThat(byTarget.get("anthropic/claude-sonnet-4-5").costNanos()).isEqualTo(225_000L);
            assertThat(byTarget.get("mistral/mistral-large-latest").errors()).isEqualTo(1);

            Map<String, UsageQueries.UsageRow> byKey = index(q.usage(UsageQueries.GroupBy.KEY, UsageQueries.Bucket.NONE, from, to),
                    UsageQueries.UsageRow::group);
            assertThat(byKey.get("team-a").requests()).isEqualTo(6); // a2 a4 a6 a8 a10 b1
            assertThat(byKey.get("team-a").costNanos()).isEqualTo(4 * 350_000L + 575_000L);
            assertThat(byKey.get("team-b").unpriced()).isEqualTo(1);

            List<UsageQueries.UsageRow> byRouteHour = q.usage(UsageQueries.GroupBy.ROUTE, UsageQueries.Bucket.HOUR, from, to);
            assertThat(byRouteHour).extracting(UsageQueries.UsageRow::group, UsageQueries.UsageRow::bucketStart,
                    UsageQueries.UsageRow::requests).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("chat", t0, 10L),
                            org.assertj.core.groups.Tuple.tuple("summarize", t0 + hour, 2L));

            List<UsageQueries.UsageRow> byMinute = q.usage(UsageQueries.GroupBy.NONE, UsageQueries.Bucket.MINUTE, from, to);
            assertThat(byMinute).extracting(UsageQueries.UsageRow::bucketStart, UsageQueries.UsageRow::requests,
                    UsageQueries.UsageRow::failovers).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(t0, 10L, 1L),
                            org.assertj.core.groups.Tuple.tuple(t0 + hour, 2L, 0L));

            List<UsageQueries.UsageRow> total = q.usage(UsageQueries.GroupBy.NONE, UsageQueries.Bucket.NONE, from, to);
            assertThat(total).hasSize(1);
            assertThat(total.get(0).requests()).isEqualTo(12);
            assertThat(total.get(0).costNanos()).isEqualTo(3_500_000L + 225_000L);
            assertThat(CostCalc.spend(total.get(0))).isEqualByComparingTo(new BigDecimal("0.003725"));
            assertThat(total.get(0).streams()).isEqualTo(1);

            List<UsageQueries.Listed> errors = q.recent(new UsageQueries.RequestFilter(null, null, null, null, true, 0, Long.MAX_VALUE, 10));
            assertThat(errors).extracting(x -> x.request().id()).containsExactly("b1");
            List<UsageQueries.Listed> mistralModel = q.recent(new UsageQueries.RequestFilter("summarize", "mistral", "team-b", 200,
                    false, 0, Long.MAX_VALUE, 10));
            assertThat(mistralModel).extracting(x -> x.request().id()).containsExactly("b2");
            assertThat(mistralModel.get(0).request().costUsd()).isNull();
        }
    }

    @Test
    void failoversCountTargetSwitchesNotSameTargetRetries() throws Exception {
        long now = System.currentTimeMillis();
        Usage u = new Usage(10, 0, 0, 5, 0);
        try (Ledger l = open()) {
            // retried on the same target: not a failover
            l.accept(new UsageRecord("retry", now, "app", "chat", "openai", "gpt-4o", false, 200, null, false, u, new BigDecimal("0.0001"),
                    "2026-07-24", 5000, -1, 100, List.of(
                            new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "503", 2, -1, null, null, "overloaded"),
                            new UsageRecord.AttemptRecord(2, "openai", "gpt-4o", "200", 3, -1, u, new BigDecimal("0.0001"), null))));
            // same provider, another model: a failover
            l.accept(new UsageRecord("model-switch", now + 1, "app", "chat", "openai", "gpt-4o-mini", false, 200, null, false, u,
                    new BigDecimal("0.0001"), "2026-07-24", 5000, -1, 100, List.of(
                            new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "429", 2, -1, null, null, "rate limited"),
                            new UsageRecord.AttemptRecord(2, "openai", "gpt-4o-mini", "200", 3, -1, u, new BigDecimal("0.0001"), null))));
            // every target failed: it failed over all the same
            l.accept(new UsageRecord("all-failed", now + 2, "app", "chat", "anthropic", "claude-sonnet-4-5", false, 503, "api_error",
                    false, Usage.NONE, BigDecimal.ZERO, "2026-07-24", 5000, -1, 100, List.of(
                            new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "503", 2, -1, null, null, "down"),
                            new UsageRecord.AttemptRecord(2, "anthropic", "claude-sonnet-4-5", "503", 3, -1, null, null, "down"))));
            l.accept(Records.ok("plain", now + 3, "app", "chat", "openai", "gpt-4o", u, "0.0001", 4000));
            flush(l);
            UsageQueries q = new UsageQueries(l.database());
            List<UsageQueries.UsageRow> total = q.usage(UsageQueries.GroupBy.NONE, UsageQueries.Bucket.NONE, now, now + 10);
            assertThat(total.get(0).requests()).isEqualTo(4);
            assertThat(total.get(0).failovers()).isEqualTo(2);
            Map<String, UsageQueries.UsageRow> byTarget = index(q.usage(UsageQueries.GroupBy.TARGET, UsageQueries.Bucket.NONE, now, now + 10),
                    UsageQueries.UsageRow::group);
            assertThat(byTarget.get("openai/gpt-4o").failovers()).isZero();
            assertThat(byTarget.get("openai/gpt-4o-mini").failovers()).isEqualTo(1);
            assertThat(byTarget.get("anthropic/claude-sonnet-4-5").failovers()).isEqualTo(1);
        }
    }

    @Test
    void retentionPrunesOldRowsOnly() throws Exception {
        long now = System.currentTimeMillis();
        long old = now - Duration.ofDays(45).toMillis();
        LedgerOptions o = options();
        o = new LedgerOptions(o.queueCapacity(), o.batchSize(), o.batchWindow(), o.spillFile(), o.spillMaxBytes(), o.retryMin(),
                o.retryMax(), o.busyTimeout(), Duration.ofDays(30), Duration.ZERO);
        try (Ledger l = Ledger.open(StoreUrl.parse(storeUrl()), o)) {
            batch("old", 5, old).forEach(l);
            batch("new", 3, now).forEach(l);
            flush(l);
            flush(l); // one more pass: pruning runs after the batch that brought the old rows
            UsageQueries q = new UsageQueries(l.database());
            assertThat(q.recent(new UsageQueries.RequestFilter(null, null, null, null, false, 0, Long.MAX_VALUE, 100)))
                    .extracting(x -> x.request().id()).containsExactlyInAnyOrder("new0", "new1", "new2");
            assertThat(q.request("old1")).isEmpty();
            long attemptsLeft = l.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM attempt_log")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(attemptsLeft).isEqualTo(3);
        }
    }

    @Test
    void aClosedLedgerCountsWhatItRefuses() throws Exception {
        Ledger l = open();
        l.close(Duration.ofSeconds(10));
        l.accept(batch("late", 1, System.currentTimeMillis()).get(0));
        assertThat(l.stats().dropped()).isEqualTo(1);
        l.flush().get(5, TimeUnit.SECONDS); // never hangs once closed
    }

    private static <K> Map<K, UsageQueries.UsageRow> index(List<UsageQueries.UsageRow> rows, Function<UsageQueries.UsageRow, K> key) {
        return rows.stream().collect(Collectors.toMap(key, r -> r));
    }

    /** Spend in dollars from the report's nano-dollars. */
    static final class CostCalc {
        static BigDecimal spend(UsageQueries.UsageRow r) {
            return dev.switchyard.accounting.CostCalculator.fromNanos(r.costNanos());
        }
    }
}
