package dev.switchyard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchyard.accounting.Budgets;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.auth.Budget;
import dev.switchyard.auth.KeyMetadata;
import dev.switchyard.auth.VirtualKey;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator tables promise on every database the store supports (migration V2): runtime keys, the runtime
 * configuration layer, the audit log, and spend per key for budgets — including spend that retention pruned.
 */
abstract class OperatorStoreContract {
    @TempDir
    Path dir;

    abstract String storeUrl() throws Exception;

    private LedgerDatabase db;

    @BeforeEach
    void open() throws Exception {
        db = new LedgerDatabase(StoreUrl.parse(storeUrl()), Duration.ofSeconds(2));
        db.read(c -> {
            try (var s = c.createStatement()) {
                for (String t : List.of("virtual_keys", "runtime_config", "audit_log", "spend_rollup", "ledger_attempts", "ledger_requests")) {
                    s.execute("DELETE FROM " + t);
                }
            }
            return null;
        });
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        if (db != null) db.close();
    }

    private static VirtualKey key(String id, String name, long now) {
        return new VirtualKey(id, name, "ab".repeat(32), List.of("chat", "gpt-*"), new Budget(5_000_000_000L, null, 100_000_000_000L),
                60, null, new KeyMetadata("team-a", "ann", List.of("prod")), now, now, now + 86_400_000L, null);
    }

    @Test
    void keysRoundTripAndNamesStayUnique() throws Exception {
        KeyStore store = new KeyStore(db);
        long now = System.currentTimeMillis();
        VirtualKey k = key("0a1b2c3d", "team-a", now);
        store.insert(k);
        assertThat(store.all()).containsExactly(k);
        VirtualKey changed = new VirtualKey(k.id(), k.name(), k.digestHex(), List.of("*"), Budget.NONE, null, 5000, KeyMetadata.NONE,
                k.createdAt(), now + 5, null, now + 5);
        store.update(changed);
        assertThat(store.all()).containsExactly(changed);
        VirtualKey sameName = new VirtualKey("ffffffff", "team-a", "cd".repeat(32), List.of("*"), Budget.NONE, null, null,
                KeyMetadata.NONE, now, now, null, null);
        assertThatThrownBy(() -> store.insert(sameName)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> store.update(key("99999999", "nobody", now))).isInstanceOf(SQLException.class);
    }

    @Test
    void theRuntimeLayerKeepsEntriesAndRemovals() throws Exception {
        RuntimeConfigStore store = new RuntimeConfigStore(db);
        store.put(new RuntimeConfigStore.Entry("providers", "newco", "{\"type\":\"openai\"}", 1));
        store.put(new RuntimeConfigStore.Entry("models", "chat", null, 2));
        store.put(new RuntimeConfigStore.Entry("pricing", "newco/gpt-4o", "{\"input_per_mtok\":1}", 3));
        store.put(new RuntimeConfigStore.Entry("providers", "newco", "{\"type\":\"groq\"}", 4));
        assertThat(store.all()).containsExactly(
                new RuntimeConfigStore.Entry("models", "chat", null, 2),
                new RuntimeConfigStore.Entry("pricing", "newco/gpt-4o", "{\"input_per_mtok\":1}", 3),
                new RuntimeConfigStore.Entry("providers", "newco", "{\"type\":\"groq\"}", 4));
        store.delete("models", "chat");
        assertThat(store.all()).extracting(RuntimeConfigStore.Entry::name).containsExactly("newco/gpt-4o", "newco");
    }

    @Test
    void theAuditLogIsQueriedNewestFirstBySinceActionAndLimit() throws Exception {
        AuditLog log = new AuditLog(db);
        String[] actions = {"key.create", "key.update", "config.provider.put", "key_create", "key.revoke"};
        for (int i = 0; i < actions.length; i++) {
            log.append(new AuditLog.Entry(1000 + i, "aud_" + i, "auth.admin_key", "127.0.0.1", actions[i], "t" + i,
                    i == 1 ? "rejected" : "ok", i == 1 ? 400 : 200, "detail " + i));
        }
        assertThat(log.query(0, null, 100)).extracting(AuditLog.Entry::id).containsExactly("aud_4", "aud_3", "aud_2", "aud_1", "aud_0");
        assertThat(log.query(1002, null, 100)).extracting(AuditLog.Entry::id).containsExactly("aud_4", "aud_3", "aud_2");
        assertThat(log.query(0, "key.*", 100)).as("'.' and '_' are literal").extracting(AuditLog.Entry::action)
                .containsExactly("key.revoke", "key.update", "key.create");
        assertThat(log.query(0, "key.update", 100)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("rejected");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.remote()).isEqualTo("127.0.0.1");
        });
        assertThat(log.query(0, null, 2)).hasSize(2);
    }

    @Test
    void spendPerKeyCountsEveryBilledAttemptAndOutlivesRetention() throws Exception {
        long now = System.currentTimeMillis();
        long yesterday = Budgets.dayStart(now) - 1;
        long old = now - Duration.ofDays(45).toMillis();
        Usage u = new Usage(100, 0, 0, 10, 0);
        LedgerOptions o = LedgerOptions.defaults(StoreUrl.parse(storeUrl()), Duration.ofDays(30)).withSpillFile(dir.resolve("spill.jsonl"));
        o = new LedgerOptions(o.queueCapacity(), o.batchSize(), Duration.ofMillis(20), o.spillFile(), o.spillMaxBytes(), o.retryMin(),
                o.retryMax(), o.busyTimeout(), Duration.ofDays(30), Duration.ZERO);
        try (Ledger l = Ledger.open(StoreUrl.parse(storeUrl()), o)) {
            List<UsageRecord> records = List.of(
                    Records.ok("today", now, "team-a", "chat", "openai", "gpt-4o", u, "0.25", 1000),
                    // a failed-over request: both attempts were billed
                    Records.failedOver("today2", now, "team-a", "chat", "anthropic", "claude", u, "0.5", "openai", "gpt-4o", u, "1", 1000),
                    Records.ok("yday", yesterday, "team-a", "chat", "openai", "gpt-4o", u, "2", 1000),
                    Records.ok("old", old, "team-a", "chat", "openai", "gpt-4o", u, "4", 1000),
                    Records.ok("other", now, "team-b", "chat", "openai", "gpt-4o", u, "8", 1000),
                    Records.ok("unpriced", now, "team-b", "chat", "openai", "mystery", u, null, 1000));
            records.forEach(l);
            l.flush().get(30, TimeUnit.SECONDS);
            l.flush().get(30, TimeUnit.SECONDS); // one more pass: retention runs after the batch that brought the old row
            long oldLeft = l.database().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM requests WHERE id = 'old'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(oldLeft).as("pruned").isZero();
        }
        boolean sameMonth = Budgets.monthStart(yesterday) == Budgets.monthStart(now);
        List<Budgets.Loaded> spend = new SpendQueries(db).load(now);
        assertThat(spend).containsExactly(
                new Budgets.Loaded("team-a", nanos("1.75"), nanos(sameMonth ? "3.75" : "1.75"), nanos("7.75")),
                new Budgets.Loaded("team-b", nanos("8"), nanos("8"), nanos("8")));
    }

    private static long nanos(String usd) {
        return new BigDecimal(usd).movePointRight(9).longValueExact();
    }
}
