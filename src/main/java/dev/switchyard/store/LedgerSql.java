package dev.switchyard.store;

import dev.switchyard.accounting.CostCalculator;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Objects;

/** The ledger's writes: batched inserts (idempotent, so replays are harmless) and retention deletes. */
final class LedgerSql {
    static final String INSERT_ATTEMPT = "INSERT INTO ledger_attempts (seq, n, provider, model, outcome, "
            + "latency_ms, ttft_ms, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, "
            + "cost_nusd, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** Spend of the rows about to be pruned, per key and UTC day, added to {@code spend_rollup} (budgets read it). */
    private static final String ROLLUP = "INSERT INTO spend_rollup (key_name, day, cost_nusd) "
            + "SELECT key_name, (ts / 86400000) * 86400000, SUM(cost_nusd) FROM attempt_log "
            + "WHERE request_seq < ? AND key_name IS NOT NULL AND cost_nusd IS NOT NULL "
            + "GROUP BY key_name, (ts / 86400000) * 86400000 "
            + "ON CONFLICT (key_name, day) DO UPDATE SET cost_nusd = spend_rollup.cost_nusd + excluded.cost_nusd";

    private LedgerSql() {}

    /**
     * Adds {@code rows} and their attempts to the statements' batches and runs them. A request whose one attempt the
     * request row describes fully ({@link #solo}) writes no attempt row: that is most requests, and it halves the
     * work. On SQLite most rows go through the packed statement ({@link LedgerRows}).
     *
     * @param packed the packed statement, or null where the database has none (PostgreSQL)
     */
    static void addToBatches(PreparedStatement plain, PreparedStatement packed, PreparedStatement at, LedgerNames names,
            List<LedgerRow> rows) throws SQLException {
        int plainRows = 0, packedRows = 0, attempts = 0;
        for (LedgerRow row : rows) {
            int[] refs = names.refs(row);
            if (packed != null && LedgerRows.packs(row, refs)) {
                LedgerRows.bindPacked(packed, row, refs);
                packed.addBatch();
                packedRows++;
            } else {
                LedgerRows.bindPlain(plain, row, refs);
                plain.addBatch();
                plainRows++;
            }
            if (row.record == null) continue;
            for (UsageRecord.AttemptRecord a : row.record.attempts()) {
                bindAttempt(at, row.seq, a);
                at.addBatch();
                attempts++;
            }
        }
        if (packedRows > 0) packed.executeBatch();
        if (plainRows > 0) plain.executeBatch();
        if (attempts > 0) at.executeBatch();
    }

    /** Database work that may throw; run in a transaction by {@link #inTransaction}. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    static void inTransaction(Connection c, SqlWork work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection may be gone; the caller decides what to do with it
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }

    /**
     * The request's only attempt when the request row can stand for it: same target, its status is the request's,
     * no failure detail, no broken stream. Its tokens and cost are then the request's (or unknown, {@code solo_usage}
     * 0, when it reported none). Null otherwise: the attempts then go to the {@code attempts} table.
     */
    static UsageRecord.AttemptRecord solo(UsageRecord r) {
        if (r.attempts().size() != 1 || r.truncated()) return null;
        UsageRecord.AttemptRecord a = r.attempts().get(0);
        boolean described = a.detail() == null && isStatus(a.outcome(), r.status())
                && Objects.equals(a.provider(), r.provider()) && Objects.equals(a.model(), r.model());
        return described ? a : null;
    }

    /** {@code outcome} is {@code status} written in decimal (without building the string per request). */
    private static boolean isStatus(String outcome, int status) {
        if (outcome == null || outcome.length() != 3 || status < 100 || status > 999) return false;
        return outcome.charAt(0) - '0' == status / 100 && outcome.charAt(1) - '0' == status / 10 % 10
                && outcome.charAt(2) - '0' == status % 10;
    }

    private static void bindAttempt(PreparedStatement s, long seq, UsageRecord.AttemptRecord a) throws SQLException {
        Usage u = a.tokens();
        s.setLong(1, seq);
        s.setInt(2, a.seq());
        s.setString(3, a.provider());
        s.setString(4, a.model());
        s.setString(5, a.outcome());
        s.setLong(6, a.latencyMillis());
        setLong(s, 7, a.ttftMillis() >= 0 ? a.ttftMillis() : LedgerRow.NONE);
        setLong(s, 8, u == null ? LedgerRow.NONE : u.inputTokens());
        setLong(s, 9, u == null ? LedgerRow.NONE : u.cachedTokens());
        setLong(s, 10, u == null ? LedgerRow.NONE : u.cacheWriteTokens());
        setLong(s, 11, u == null ? LedgerRow.NONE : u.outputTokens());
        setLong(s, 12, u == null ? LedgerRow.NONE : u.reasoningTokens());
        Long cost = CostCalculator.toNanos(a.costUsd());
        setLong(s, 13, cost == null ? LedgerRow.NONE : cost);
        s.setString(14, a.detail());
    }

    private static void setLong(PreparedStatement s, int i, long v) throws SQLException {
        LedgerRows.setLong(s, i, v);
    }

    /**
     * Deletes rows older than {@code cutoff} (epoch ms), at most {@code window} ms of data per call, oldest first,
     * so a large backlog is pruned in short transactions between insert batches. Their spend per key is kept in
     * {@code spend_rollup} first.
     *
     * @return true when nothing older than the cutoff is left
     */
    static boolean pruneStep(Connection c, long cutoff, long window) throws SQLException {
        long oldest = oldest(c);
        if (oldest >= cutoff) return true;
        long upTo = Math.min(cutoff, oldest + window);
        // the rollup and the deletes commit together: a key's spend is never lost, nor counted twice
        inTransaction(c, () -> {
            try (PreparedStatement roll = c.prepareStatement(ROLLUP);
                    PreparedStatement a = c.prepareStatement("DELETE FROM ledger_attempts WHERE seq < ?");
                    PreparedStatement r = c.prepareStatement("DELETE FROM ledger_requests WHERE seq < ?")) {
                roll.setLong(1, LedgerRows.firstSeq(upTo));
                roll.executeUpdate();
                a.setLong(1, LedgerRows.firstSeq(upTo));
                a.executeUpdate();
                r.setLong(1, LedgerRows.firstSeq(upTo));
                r.executeUpdate();
            }
        });
        return upTo >= cutoff;
    }

    /** The oldest request's time (attempts share their request's key), or Long.MAX_VALUE when the ledger is empty. */
    private static long oldest(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(seq) FROM ledger_requests")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : LedgerRows.seqTs(v);
        }
    }
}
