package dev.switchyard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The writer's connection to the ledger and what it keeps for that connection's lifetime: its statements, prepared
 * once (SQLite compiles a statement on every prepare; per batch that was a visible share of the writer's time at low
 * rates), the name ids it has learnt ({@link LedgerNames}), and the counter it picks keys from. Confined to the
 * writer thread.
 *
 * <p>Keys ({@link LedgerRows#firstSeq}): the low bits of a row's key come from the counter, which starts at a random
 * value, so rows of one millisecond differ, and two writers (instances sharing a PostgreSQL ledger, two processes on
 * one SQLite file) seldom pick the same key. When they do, or when a long request lands on a key of its millisecond
 * taken 4 million rows earlier, the batch is written again row by row, and each clashing row takes the next key.
 */
final class LedgerSession implements AutoCloseable {
    /** Keys tried per row before a clash is treated as a failure of the row (a clash needs another writer's key). */
    private static final int MAX_KEY_TRIES = 64;
    private static final String EXISTING = "SELECT 1 FROM ledger_requests WHERE seq >= ? AND seq < ? AND rid = ? "
            + "AND (client_id = ? OR (client_id IS NULL AND ? IS NULL))";

    private final Connection conn;
    private final Dialect dialect;
    private final LedgerNames names = new LedgerNames();
    private long next = ThreadLocalRandom.current().nextLong();
    private PreparedStatement plain;
    private PreparedStatement packed;
    private PreparedStatement attempts;

    private LedgerSession(Connection conn, Dialect dialect) {
        this.conn = conn;
        this.dialect = dialect;
    }

    static LedgerSession open(LedgerDatabase db) throws SQLException {
        return new LedgerSession(db.openForWriter(), db.dialect());
    }

    Connection connection() {
        return conn;
    }

    /** Inserts the rows and their attempts in one transaction; on a key clash, row by row with new keys. */
    void insert(List<LedgerRow> rows) throws SQLException {
        withKeys(rows, () -> {
            try {
                LedgerSql.inTransaction(conn, () -> LedgerSql.addToBatches(plain, packed, attempts, names, rows));
            } catch (SQLException e) {
                if (!dialect.isDuplicateKey(e)) throw e;
                clearBatches();
                for (LedgerRow row : rows) insertAlone(row);
            }
        });
    }

    /**
     * Inserts rows read back from the spill file: each one unless the ledger already holds it (a batch whose commit
     * was cut off can have landed before it was spilled), found by its start, id bits and client id.
     */
    void insertReplayed(List<LedgerRow> rows) throws SQLException {
        withKeys(rows, () -> {
            try (PreparedStatement s = conn.prepareStatement(EXISTING)) {
                for (LedgerRow row : rows) {
                    long first = LedgerRows.firstSeq(row.ts);
                    s.setLong(1, first);
                    s.setLong(2, first + LedgerRows.LOW_MASK + 1);
                    s.setLong(3, row.rid);
                    s.setString(4, row.clientId);
                    s.setString(5, row.clientId);
                    boolean there;
                    try (ResultSet rs = s.executeQuery()) {
                        there = rs.next();
                    }
                    if (!there) insertAlone(row);
                }
            }
        });
    }

    /**
     * Runs {@code work} with the statements prepared, the rows' names known and their keys picked; a failure closes
     * the statements, so the next call prepares them again on a connection that may have been replaced.
     */
    private void withKeys(List<LedgerRow> rows, LedgerSql.SqlWork work) throws SQLException {
        prepare();
        try {
            names.ensure(conn, rows);
            for (LedgerRow row : rows) row.seq = nextKey(row);
            work.run();
        } catch (SQLException | RuntimeException e) {
            closeStatements();
            throw e;
        }
    }

    private long nextKey(LedgerRow row) {
        return LedgerRows.firstSeq(row.ts) | (next++ & LedgerRows.LOW_MASK);
    }

    /** One request in a transaction of its own, moving to the next key of its millisecond while its key is taken. */
    private void insertAlone(LedgerRow row) throws SQLException {
        List<LedgerRow> one = List.of(row);
        for (int tries = 0; ; tries++) {
            try {
                LedgerSql.inTransaction(conn, () -> LedgerSql.addToBatches(plain, null, attempts, names, one));
                return;
            } catch (SQLException e) {
                if (!dialect.isDuplicateKey(e) || tries >= MAX_KEY_TRIES) throw e;
                clearBatches();
                row.seq = nextKey(row);
            }
        }
    }

    /** What a failed batch may have left queued in the statements must not run with the next one. */
    private void clearBatches() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {plain, packed, attempts}) if (s != null) s.clearBatch();
    }

    private void prepare() throws SQLException {
        if (plain != null) return;
        plain = conn.prepareStatement(LedgerRows.INSERT_PLAIN);
        if (dialect == Dialect.SQLITE) packed = conn.prepareStatement(LedgerRows.INSERT_PACKED);
        attempts = conn.prepareStatement(LedgerSql.INSERT_ATTEMPT);
    }

    /** True when the connection is gone or does not answer. */
    boolean broken() {
        try {
            return conn.isClosed() || !conn.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private void closeStatements() {
        for (PreparedStatement s : new PreparedStatement[] {plain, packed, attempts}) {
            if (s == null) continue;
            try {
                s.close();
            } catch (SQLException ignored) {
                // the connection may be gone; nothing to keep
            }
        }
        plain = packed = attempts = null;
    }

    @Override
    public void close() {
        closeStatements();
        try {
            conn.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
