package dev.switchyard.store;

import dev.switchyard.accounting.CostCalculator;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
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
    private static final String INSERT_REQUEST = "INSERT INTO requests (ts, id, key_name, route, provider, model, stream, "
            + "status, error_type, truncated, attempts, input_tokens, cached_tokens, cache_write_tokens, output_tokens, "
            + "reasoning_tokens, cost_nusd, catalog_version, latency_us, ttft_us, overhead_us, solo_latency_ms, solo_ttft_ms, "
            + "solo_usage, by_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";
    private static final String INSERT_ATTEMPT = "INSERT INTO attempts (ts, request_id, seq, provider, model, outcome, "
            + "latency_ms, ttft_ms, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, "
            + "cost_nusd, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";

    /** Spend of the rows about to be pruned, per key and UTC day, added to {@code spend_rollup} (budgets read it). */
    private static final String ROLLUP = "INSERT INTO spend_rollup (key_name, day, cost_nusd) "
            + "SELECT key_name, (ts / 86400000) * 86400000, SUM(cost_nusd) FROM attempt_log "
            + "WHERE ts < ? AND key_name IS NOT NULL AND cost_nusd IS NOT NULL "
            + "GROUP BY key_name, (ts / 86400000) * 86400000 "
            + "ON CONFLICT (key_name, day) DO UPDATE SET cost_nusd = spend_rollup.cost_nusd + excluded.cost_nusd";

    private LedgerSql() {}

    /**
     * Inserts {@code records} and their attempts in one transaction. A request whose one attempt the request row
     * describes fully ({@link #solo}) writes no attempt row: that is most requests, and it halves the work.
     */
    static void insert(Connection c, List<UsageRecord> records) throws SQLException {
        inTransaction(c, () -> {
            try (PreparedStatement rq = c.prepareStatement(INSERT_REQUEST); PreparedStatement at = c.prepareStatement(INSERT_ATTEMPT)) {
                int attempts = 0;
                for (UsageRecord r : records) {
                    UsageRecord.AttemptRecord solo = solo(r);
                    bindRequest(rq, r, solo);
                    rq.addBatch();
                    if (solo != null) continue;
                    for (UsageRecord.AttemptRecord a : r.attempts()) {
                        bindAttempt(at, r, a);
                        at.addBatch();
                        attempts++;
                    }
                }
                rq.executeBatch();
                if (attempts > 0) at.executeBatch();
            }
        });
    }

    /** Work inside one transaction. */
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

    /** @param solo the request's attempt when its row stands for it ({@link #solo}), else null */
    private static void bindRequest(PreparedStatement s, UsageRecord r, UsageRecord.AttemptRecord solo) throws SQLException {
        Usage u = r.tokens() == null ? Usage.NONE : r.tokens();
        s.setLong(1, r.startEpochMillis());
        s.setString(2, r.id());
        s.setString(3, r.keyName());
        s.setString(4, r.route());
        s.setString(5, r.provider());
        s.setString(6, r.model());
        s.setInt(7, r.stream() ? 1 : 0);
        s.setInt(8, r.status());
        s.setString(9, r.errorType());
        s.setInt(10, r.truncated() ? 1 : 0);
        s.setInt(11, r.attempts().size());
        s.setLong(12, u.inputTokens());
        s.setLong(13, u.cachedTokens());
        s.setLong(14, u.cacheWriteTokens());
        s.setLong(15, u.outputTokens());
        s.setLong(16, u.reasoningTokens());
        setLong(s, 17, CostCalculator.toNanos(r.costUsd()));
        s.setString(18, r.catalogVersion());
        s.setLong(19, r.latencyMicros());
        setLong(s, 20, r.ttftMicros() >= 0 ? r.ttftMicros() : null);
        s.setLong(21, r.overheadMicros());
        setLong(s, 22, solo == null ? null : solo.latencyMillis());
        setLong(s, 23, solo == null || solo.ttftMillis() < 0 ? null : solo.ttftMillis());
        if (solo == null) s.setNull(24, Types.SMALLINT);
        else s.setInt(24, solo.tokens() != null ? 1 : 0);
        // indexed by id only when the id does not lead back to the row's ts (see RequestIds)
        if (RequestIds.mintedMillis(r.id()) == r.startEpochMillis()) s.setNull(25, Types.SMALLINT);
        else s.setInt(25, 1);
    }

    private static void bindAttempt(PreparedStatement s, UsageRecord r, UsageRecord.AttemptRecord a) throws SQLException {
        Usage u = a.tokens();
        s.setLong(1, r.startEpochMillis());
        s.setString(2, r.id());
        s.setInt(3, a.seq());
        s.setString(4, a.provider());
        s.setString(5, a.model());
        s.setString(6, a.outcome());
        s.setLong(7, a.latencyMillis());
        setLong(s, 8, a.ttftMillis() >= 0 ? a.ttftMillis() : null);
        setLong(s, 9, u == null ? null : u.inputTokens());
        setLong(s, 10, u == null ? null : u.cachedTokens());
        setLong(s, 11, u == null ? null : u.cacheWriteTokens());
        setLong(s, 12, u == null ? null : u.outputTokens());
        setLong(s, 13, u == null ? null : u.reasoningTokens());
        setLong(s, 14, CostCalculator.toNanos(a.costUsd()));
        s.setString(15, a.detail());
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) s.setNull(i, Types.BIGINT);
        else s.setLong(i, v);
    }

    /**
     * Deletes rows older than {@code cutoff} (epoch ms), at most {@code window} ms of data per call, oldest first,
     * so a large backlog is pruned in short transactions between insert batches. Their spend per key is kept in
     * {@code spend_rollup} first.
     *
     * @return true when nothing older than the cutoff is left
     */
    static boolean pruneStep(Connection c, long cutoff, long window) throws SQLException {
        long oldest = Math.min(oldest(c, "requests"), oldest(c, "attempts"));
        if (oldest >= cutoff) return true;
        long upTo = Math.min(cutoff, oldest + window);
        // the rollup and the deletes commit together: a key's spend is never lost, nor counted twice
        inTransaction(c, () -> {
            try (PreparedStatement roll = c.prepareStatement(ROLLUP);
                    PreparedStatement a = c.prepareStatement("DELETE FROM attempts WHERE ts < ?");
                    PreparedStatement r = c.prepareStatement("DELETE FROM requests WHERE ts < ?")) {
                roll.setLong(1, upTo);
                roll.executeUpdate();
                a.setLong(1, upTo);
                a.executeUpdate();
                r.setLong(1, upTo);
                r.executeUpdate();
            }
        });
        return upTo >= cutoff;
    }

    /** The oldest row's time in {@code table} (a fixed table name, never input), or Long.MAX_VALUE when empty. */
    private static long oldest(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(ts) FROM " + table)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : v;
        }
    }
}
