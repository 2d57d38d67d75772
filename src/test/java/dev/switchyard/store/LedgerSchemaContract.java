package dev.switchyard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact row format (schema V4) on every database the ledger supports: rows the packed SQLite statement cannot
 * carry, replays, names stored once, and a V3 ledger with data migrated to V4. One subclass per database, each
 * against the real thing.
 */
abstract class LedgerSchemaContract {
    @TempDir
    Path dir;

    /** store.url of an empty database, new for every call */
    abstract String freshStoreUrl() throws Exception;

    private String url;

    Ledger open() throws Exception {
        if (url == null) url = freshStoreUrl();
        return Ledger.open(StoreUrl.parse(url), new LedgerOptions(1024, 500, Duration.ofMillis(20), dir.resolve("spill.jsonl"),
                8L * 1024 * 1024, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(200), Duration.ofDays(30),
                Duration.ofMinutes(10)));
    }

    private static void flush(Ledger l) throws Exception {
        l.flush().get(30, TimeUnit.SECONDS);
    }

    private static long count(Ledger l, String sql) throws Exception {
        return l.database().read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void assertReadsBack(UsageQueries q, UsageRecord r) throws Exception {
        assertThat(q.request(r.id()).orElseThrow()).as(r.id()).usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(r);
    }

    @Test
    void numbersBeyondThePackedFieldsRoundTripExactly() throws Exception {
        long now = System.currentTimeMillis();
        // 3 billion tokens, a solo attempt of 25 days: past 31 bits, so these rows take the statement that binds every
        // column; the ordinary row beside them takes the packed one (on SQLite)
        Usage huge = new Usage(3_000_000_000L, 2_500_000_000L, 2_200_000_000L, 3_100_000_000L, 9_000_000_000L);
        UsageRecord big = new UsageRecord(RequestIds.mint(now), now, "app", "chat", "openai", "gpt-4o", true, 200, null, false,
                huge, new BigDecimal("12345.678901234"), "2026-07-24", 2_160_000_000_000L, 7_000_000_000L, 3_000_000_000L,
                List.of(new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 2_160_000_000L, 2_150_000_000L, huge,
                        new BigDecimal("12345.678901234"), null)));
        UsageRecord ordinary = Records.ok(RequestIds.mint(now + 1), now + 1, "app", "chat", "openai", "gpt-4o",
                new Usage(10, 2, 1, 5, 3), "0.0001", 1000);
        UsageRecord noTarget = new UsageRecord(RequestIds.mint(now + 2), now + 2, null, "chat", null, null, false, 599,
                "api_error", false, Usage.NONE, null, "2026-07-24", 5, -1, 5, List.of());
        try (Ledger l = open()) {
            List.of(big, ordinary, noTarget).forEach(l);
            flush(l);
            assertThat(l.stats().written()).isEqualTo(3);
            UsageQueries q = new UsageQueries(l.database());
            assertReadsBack(q, big);
            assertReadsBack(q, ordinary);
            assertReadsBack(q, noTarget);
        }
    }

    @Test
    void aSpilledRecordTheLedgerAlreadyHoldsIsNotWrittenTwice() throws Exception {
        long now = System.currentTimeMillis();
        UsageRecord minted = Records.ok(RequestIds.mint(now), now, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", 10);
        UsageRecord chosen = Records.ok("client-trace-7", now, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", 20);
        UsageRecord onlySpilled = Records.ok("client-trace-8", now, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", 30);
        try (Ledger l = open()) {
            l.accept(minted);
            l.accept(chosen);
            flush(l);
        }
        // what a batch whose commit was cut off leaves behind: rows that landed, and the same records in the spill file
        new SpillFile(dir.resolve("spill.jsonl"), 8L * 1024 * 1024).append(List.of(minted, chosen, onlySpilled));
        try (Ledger l = open()) {
            flush(l);
            assertThat(l.stats().replayed()).isEqualTo(3);
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_requests")).isEqualTo(3);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE id = '" + minted.id() + "' AND by_id IS NULL")).isEqualTo(1);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE id = 'client-trace-7' AND by_id = 1")).isEqualTo(1);
            assertThat(new UsageQueries(l.database()).request("client-trace-8").orElseThrow().latencyMicros()).isEqualTo(30);
        }
    }

    @Test
    void rowsOfOneMillisecondGetKeysOfTheirOwnAndAKeyClashMovesToTheNextKey() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            for (int i = 0; i < 300; i++) {
                l.accept(Records.ok(RequestIds.mint(now), now, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", i));
            }
            flush(l);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE ts = " + now)).isEqualTo(300);
            // another writer already holds the next 40 keys this one would pick: it must move on, not lose the rows
            long lastLow = count(l, "SELECT MAX(seq) FROM ledger_requests") & LedgerRows.LOW_MASK;
            long first = LedgerRows.firstSeq(now + 1);
            l.database().read(c -> {
                try (var s = c.prepareStatement("INSERT INTO ledger_requests (seq, rid) VALUES (?, 0)")) {
                    for (long k = 1; k <= 40; k++) {
                        s.setLong(1, first | ((lastLow + k) & LedgerRows.LOW_MASK));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                return null;
            });
            long before = count(l, "SELECT COUNT(*) FROM ledger_requests");
            for (int i = 0; i < 20; i++) {
                l.accept(Records.ok(RequestIds.mint(now + 1), now + 1, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", 1000 + i));
            }
            flush(l);
            assertThat(l.stats().written()).isEqualTo(320);
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_requests")).isEqualTo(before + 20);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE ts = " + (now + 1) + " AND latency_us >= 1000")).isEqualTo(20);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE ts = " + (now + 1) + " AND rid = 0")).isEqualTo(40);
            // the keys the writer would have picked were taken: its rows sit after them
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_requests WHERE rid <> 0 AND seq > " + (first | (lastLow + 40))
                    + " AND seq < " + LedgerRows.firstSeq(now + 2))).isEqualTo(20);
        }
    }

    @Test
    void eachNameIsStoredOnceAndRowsHoldNumbers() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            for (int i = 0; i < 50; i++) {
                l.accept(Records.ok(RequestIds.mint(now + i), now + i, "team-" + (i % 3), "chat", "openai", "gpt-4o",
                        new Usage(10, 0, 0, 5, 0), "0.0001", 1000));
            }
            flush(l);
            // team-0..2, chat, openai, gpt-4o, the catalog version
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_names")).isEqualTo(7);
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_requests WHERE client_id IS NOT NULL")).isZero();
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE key_name = 'team-1' AND route = 'chat' "
                    + "AND provider = 'openai' AND model = 'gpt-4o' AND catalog_version = '2026-07-24'")).isEqualTo(17);
        }
        // a second writer (a restart, another instance) finds the names and adds none
        try (Ledger l = open()) {
            l.accept(Records.ok(RequestIds.mint(now + 99), now + 99, "team-2", "chat", "openai", "gpt-4o", Usage.NONE, "0", 1));
            flush(l);
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_names")).isEqualTo(7);
            assertThat(count(l, "SELECT COUNT(*) FROM requests WHERE key_name = 'team-2'")).isEqualTo(17);
        }
    }

    @Test
    void aV3LedgerWithDataIsMigratedWithEveryRowAndAttempt() throws Exception {
        url = freshStoreUrl();
        StoreUrl su = StoreUrl.parse(url);
        if (su.sqliteFile() != null) java.nio.file.Files.createDirectories(su.sqliteFile().toAbsolutePath().getParent());
        Flyway.configure().dataSource(su.jdbcUrl(), su.properties().getProperty("user"), su.properties().getProperty("password"))
                .locations("classpath:db/ledger").table("switchyard_schema_history").target("3")
                .placeholders(su.dialect().migrationPlaceholders()).load().migrate();
        long ts = System.currentTimeMillis() - 3_600_000; // within retention
        String minted = RequestIds.mint(ts);
        try (Connection c = DriverManager.getConnection(su.jdbcUrl(), su.properties())) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO requests (ts, id, key_name, route, provider, model, stream, "
                    + "status, error_type, truncated, attempts, input_tokens, cached_tokens, cache_write_tokens, output_tokens, "
                    + "reasoning_tokens, cost_nusd, catalog_version, latency_us, ttft_us, overhead_us, solo_latency_ms, solo_ttft_ms, "
                    + "solo_usage, by_id) VALUES (?, ?, 'app', 'chat', ?, ?, 1, 200, NULL, 0, ?, 100, 10, 0, 50, 5, ?, '2026-07-24', "
                    + "9000, 3000, 120, ?, ?, ?, ?)")) {
                Object[][] rows = {
                    {ts, minted, "openai", "gpt-4o", 1, 4200L, 8L, 2L, 1, null}, // a solo row, V3 style
                    {ts + 1, "trace-9", "openai", "gpt-4o", 2, 5200L, null, null, null, 1}, // failed over: attempts rows
                };
                for (Object[] r : rows) {
                    for (int i = 0; i < r.length; i++) s.setObject(i + 1, r[i]);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO attempts (ts, request_id, seq, provider, model, outcome, "
                    + "latency_ms, ttft_ms, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, "
                    + "cost_nusd, detail) VALUES (?, 'trace-9', ?, ?, ?, ?, 5, NULL, ?, 0, 0, ?, 0, ?, ?)")) {
                s.setLong(1, ts + 1);
                s.setInt(2, 1);
                s.setString(3, "anthropic");
                s.setString(4, "claude-sonnet-4-5");
                s.setString(5, "dropped");
                s.setLong(6, 40);
                s.setLong(7, 20);
                s.setLong(8, 1000);
                s.setString(9, "upstream connection lost mid-stream");
                s.executeUpdate();
                s.setInt(2, 2);
                s.setString(3, "openai");
                s.setString(4, "gpt-4o");
                s.setString(5, "200");
                s.setLong(6, 60);
                s.setLong(7, 30);
                s.setLong(8, 4200);
                s.setString(9, null);
                s.executeUpdate();
            }
        }
        try (Ledger l = open()) { // migrates to the latest version
            UsageQueries q = new UsageQueries(l.database());
            UsageRecord solo = q.request(minted).orElseThrow();
            assertThat(solo.provider()).isEqualTo("openai");
            assertThat(solo.keyName()).isEqualTo("app");
            assertThat(solo.costUsd()).isEqualByComparingTo("0.0000042");
            assertThat(solo.attempts()).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("200");
                assertThat(a.latencyMillis()).isEqualTo(8);
            });
            UsageRecord failedOver = q.request("trace-9").orElseThrow();
            assertThat(failedOver.attempts()).extracting(UsageRecord.AttemptRecord::provider).containsExactly("anthropic", "openai");
            assertThat(failedOver.attempts().get(0).detail()).isEqualTo("upstream connection lost mid-stream");
            List<UsageQueries.UsageRow> byProvider = q.usage(UsageQueries.GroupBy.PROVIDER, UsageQueries.Bucket.NONE, ts, ts + 10);
            assertThat(byProvider).extracting(UsageQueries.UsageRow::group).containsExactlyInAnyOrder("anthropic", "openai");
            assertThat(byProvider).filteredOn(r -> r.group().equals("anthropic")).singleElement()
                    .satisfies(r -> assertThat(r.costNanos()).isEqualTo(1000));
            // new rows land beside the migrated ones
            l.accept(Records.ok(RequestIds.mint(ts + 5), ts + 5, "app", "chat", "openai", "gpt-4o", Usage.NONE, "0", 1));
            flush(l);
            assertThat(count(l, "SELECT COUNT(*) FROM requests")).isEqualTo(3);
            assertThat(count(l, "SELECT COUNT(*) FROM ledger_names WHERE name = 'openai'")).isEqualTo(1);
        }
    }
}
