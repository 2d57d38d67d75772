package dev.switchyard.store;

import dev.switchyard.accounting.CostCalculator;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The usage API's reads, in SQL that runs unchanged on SQLite and PostgreSQL (window functions for the
 * percentiles). Blocking JDBC: callers run these on a worker thread, never on an event loop.
 */
public final class UsageQueries {
    /** What {@code group_by} may name, and the column it groups on. */
    public enum GroupBy {
        PROVIDER("provider"), MODEL("model"), KEY("key_name"), ROUTE("route"),
        /** provider and upstream model together, as {@code provider/model}: the unit the breaker tracks */
        TARGET("provider || '/' || model"), NONE(null);

        final String column;

        GroupBy(String column) {
            this.column = column;
        }

        /** Tokens and spend of provider and model groups come from the attempts: the provider that billed them. */
        boolean perAttempt() {
            return this == PROVIDER || this == MODEL || this == TARGET;
        }
    }

    public enum Bucket {
        MINUTE(60_000L), HOUR(3_600_000L), DAY(86_400_000L), NONE(0);

        final long millis;

        public long millis() {
            return millis;
        }

        Bucket(long millis) {
            this.millis = millis;
        }
    }

    /**
     * One group (and time bucket) of the usage report.
     *
     * @param costNanos  spend in nano-USD over the rows that have a known cost
     * @param unpriced   rows whose cost is unknown (not included in {@code costNanos})
     * @param latencyUs  p50, p90, p95, p99 of total latency in microseconds (nearest rank), empty without requests
     * @param failovers  requests that were answered (or last tried) by another target than the first one tried
     * @param ttftUs     p50, p90, p95, p99 of the streams' time to first token, empty without such streams
     */
    public record UsageRow(String group, Long bucketStart, long requests, long errors, long streams, Usage tokens,
            long costNanos, long unpriced, long[] latencyUs, double avgLatencyUs, Double avgTtftUs, long failovers, long[] ttftUs) {}

    /** A row of the request log: the request without its attempts, and how many there were. */
    public record Listed(UsageRecord request, int attempts) {}

    /** @param status exact status, or null; {@code errorsOnly} keeps status ≥ 400 and broken streams */
    public record RequestFilter(String model, String provider, String key, Integer status, boolean errorsOnly,
            long from, long to, int limit) {}

    private static final String REQUEST_COLUMNS = "ts, id, key_name, route, provider, model, stream, status, error_type, "
            + "truncated, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nusd, "
            + "catalog_version, latency_us, ttft_us, overhead_us, attempts";

    private final LedgerDatabase db;

    public UsageQueries(LedgerDatabase db) {
        this.db = db;
    }

    public List<UsageRow> usage(GroupBy groupBy, Bucket bucket, long from, long to) throws SQLException {
        return db.read(c -> {
            Map<List<Object>, Acc> rows = new LinkedHashMap<>();
            aggregateRequests(c, groupBy, bucket, from, to, rows);
            percentiles(c, groupBy, bucket, from, to, rows, "latency_us", (a, p) -> a.latency = p);
            percentiles(c, groupBy, bucket, from, to, rows, "ttft_us", (a, p) -> a.ttft = p);
            if (groupBy.perAttempt()) aggregateAttempts(c, groupBy, bucket, from, to, rows);
            List<UsageRow> out = new ArrayList<>(rows.size());
            for (Map.Entry<List<Object>, Acc> e : rows.entrySet()) {
                Acc a = e.getValue();
                if (a.requests == 0 && a.tokens == null) continue;
                out.add(new UsageRow((String) e.getKey().get(0), (Long) e.getKey().get(1), a.requests, a.errors, a.streams,
                        a.tokens == null ? Usage.NONE : a.tokens, a.cost, a.unpriced, a.latency, a.avgLatency, a.avgTtft, a.failovers,
                        a.ttft));
            }
            return out;
        });
    }

    /** Accumulates one group while the three queries fill it in. */
    private static final class Acc {
        long requests, errors, streams, cost, unpriced, failovers;
        Usage tokens;
        long[] latency = new long[0];
        long[] ttft = new long[0];
        double avgLatency;
        Double avgTtft;
    }

    private static String bucketExpr(Bucket b) {
        return b == Bucket.NONE ? null : "((ts / " + b.millis + ") * " + b.millis + ")";
    }

    /** {@code SELECT} columns g and b (constants when absent), and the matching GROUP BY / PARTITION BY list. */
    private static String[] grouping(GroupBy g, Bucket b) {
        String gx = g.column;
        String bx = bucketExpr(b);
        String select = (gx == null ? "CAST(NULL AS TEXT)" : gx) + " AS g, " + (bx == null ? "CAST(NULL AS BIGINT)" : bx) + " AS b";
        List<String> by = new ArrayList<>(2);
        if (gx != null) by.add(gx);
        if (bx != null) by.add(bx);
        return new String[] {select, String.join(", ", by)};
    }

    private static List<Object> key(ResultSet rs) throws SQLException {
        String g = rs.getString("g");
        long b = rs.getLong("b");
        return java.util.Arrays.asList(g, rs.wasNull() ? null : b);
    }

    private static void aggregateRequests(Connection c, GroupBy g, Bucket b, long from, long to, Map<List<Object>, Acc> rows)
            throws SQLException {
        String[] gr = grouping(g, b);
        String sql = "SELECT " + gr[0] + ", COUNT(*) AS requests, "
                + "SUM(CASE WHEN status >= 400 OR truncated = 1 THEN 1 ELSE 0 END) AS errors, SUM(stream) AS streams, "
                + "SUM(input_tokens) AS i, SUM(cached_tokens) AS cr, SUM(cache_write_tokens) AS cw, SUM(output_tokens) AS o, "
                + "SUM(reasoning_tokens) AS r, SUM(cost_nusd) AS cost, SUM(CASE WHEN cost_nusd IS NULL THEN 1 ELSE 0 END) AS unpriced, "
                + "AVG(latency_us) AS lat, AVG(ttft_us) AS ttft, SUM(CASE WHEN " + FAILED_OVER + " THEN 1 ELSE 0 END) AS failovers "
                + "FROM requests WHERE seq >= ? AND seq < ?"
                + (gr[1].isEmpty() ? "" : " GROUP BY " + gr[1]) + " ORDER BY 2, 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LedgerRows.firstSeq(from));
            s.setLong(2, LedgerRows.firstSeq(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong("requests") == 0) continue;
                    Acc a = rows.computeIfAbsent(key(rs), k -> new Acc());
                    a.requests = rs.getLong("requests");
                    a.errors = rs.getLong("errors");
                    a.streams = rs.getLong("streams");
                    a.failovers = rs.getLong("failovers");
                    a.avgLatency = rs.getDouble("lat");
                    double t = rs.getDouble("ttft");
                    a.avgTtft = rs.wasNull() ? null : t;
                    if (!g.perAttempt()) {
                        a.tokens = new Usage(rs.getLong("i"), rs.getLong("cr"), rs.getLong("cw"), rs.getLong("o"), rs.getLong("r"));
                        a.cost = rs.getLong("cost");
                        a.unpriced = rs.getLong("unpriced");
                    }
                }
            }
        }
    }

    private static void aggregateAttempts(Connection c, GroupBy g, Bucket b, long from, long to, Map<List<Object>, Acc> rows)
            throws SQLException {
        String[] gr = grouping(g, b);
        String sql = "SELECT " + gr[0] + ", SUM(input_tokens) AS i, SUM(cached_tokens) AS cr, SUM(cache_write_tokens) AS cw, "
                + "SUM(output_tokens) AS o, SUM(reasoning_tokens) AS r, SUM(cost_nusd) AS cost, "
                + "SUM(CASE WHEN cost_nusd IS NULL AND input_tokens IS NOT NULL THEN 1 ELSE 0 END) AS unpriced "
                + "FROM attempt_log WHERE request_seq >= ? AND request_seq < ? AND input_tokens IS NOT NULL"
                + (gr[1].isEmpty() ? "" : " GROUP BY " + gr[1]);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LedgerRows.firstSeq(from));
            s.setLong(2, LedgerRows.firstSeq(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Acc a = rows.computeIfAbsent(key(rs), k -> new Acc());
                    a.tokens = new Usage(rs.getLong("i"), rs.getLong("cr"), rs.getLong("cw"), rs.getLong("o"), rs.getLong("r"));
                    a.cost = rs.getLong("cost");
                    a.unpriced = rs.getLong("unpriced");
                }
            }
        }
    }

    /**
     * A request failed over when its attempts name another target than the one that finally answered (or was last
     * tried): one that failed, or one skipped because its breaker was open or it was cooling down (logged as an
     * attempt too). Same-target retries are not failovers. Correlated on the attempts' primary key: one index probe per row.
     * Reads the {@code attempts} table, not {@code attempt_log}: a request stored with its solo attempt never failed over.
     */
    private static final String FAILED_OVER = "EXISTS (SELECT 1 FROM ledger_attempts a WHERE a.seq = requests.seq "
            + "AND (a.provider <> requests.provider OR a.model <> requests.model))";

    /**
     * Nearest-rank percentiles of {@code column} (rows where it is set): the smallest value whose rank reaches p × n,
     * per partition.
     */
    private static void percentiles(Connection c, GroupBy g, Bucket b, long from, long to, Map<List<Object>, Acc> rows,
            String column, java.util.function.BiConsumer<Acc, long[]> into) throws SQLException {
        String[] gr = grouping(g, b);
        String partition = gr[1].isEmpty() ? "" : "PARTITION BY " + gr[1] + " ";
        String sql = "SELECT g, b, MIN(CASE WHEN rn >= 0.50 * n THEN v END) AS p50, "
                + "MIN(CASE WHEN rn >= 0.90 * n THEN v END) AS p90, MIN(CASE WHEN rn >= 0.95 * n THEN v END) AS p95, "
                + "MIN(CASE WHEN rn >= 0.99 * n THEN v END) AS p99 FROM (SELECT " + gr[0] + ", " + column + " AS v, "
                + "ROW_NUMBER() OVER (" + partition + "ORDER BY " + column + ") AS rn, COUNT(*) OVER (" + partition.trim() + ") AS n "
                + "FROM requests WHERE seq >= ? AND seq < ? AND " + column + " IS NOT NULL) ranked GROUP BY g, b";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LedgerRows.firstSeq(from));
            s.setLong(2, LedgerRows.firstSeq(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Acc a = rows.get(key(rs));
                    if (a != null) into.accept(a, new long[] {rs.getLong("p50"), rs.getLong("p90"), rs.getLong("p95"), rs.getLong("p99")});
                }
            }
        }
    }

    /** Most recent first. */
    public List<Listed> recent(RequestFilter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(REQUEST_COLUMNS).append(" FROM requests WHERE seq >= ? AND seq < ?");
        List<Object> args = new ArrayList<>(List.of(LedgerRows.firstSeq(f.from()), LedgerRows.firstSeq(f.to())));
        if (f.model() != null) {
            sql.append(" AND (model = ? OR route = ?)");
            args.add(f.model());
            args.add(f.model());
        }
        if (f.provider() != null) {
            sql.append(" AND provider = ?");
            args.add(f.provider());
        }
        if (f.key() != null) {
            sql.append(" AND key_name = ?");
            args.add(f.key());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status());
        }
        if (f.errorsOnly()) sql.append(" AND (status >= 400 OR truncated = 1)");
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(f.limit());
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Long l) s.setLong(i + 1, l);
                    else if (a instanceof Integer n) s.setInt(i + 1, n);
                    else s.setString(i + 1, Objects.toString(a));
                }
                List<Listed> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.add(new Listed(request(rs, List.of()), rs.getInt("attempts")));
                }
                return out;
            }
        });
    }

    /** The latest request with this id, with its attempts. */
    public Optional<UsageRecord> request(String id) throws SQLException {
        return db.read(c -> {
            long seq = minted(c, id);
            // ids a client chose are in the client_id index (a client may also reuse an id the gateway minted
            // earlier, so this is asked even after a hit), as are rows from before schema V4
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT seq FROM ledger_requests WHERE client_id = ? ORDER BY seq DESC LIMIT 1")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) seq = Math.max(seq, rs.getLong(1));
                }
            }
            if (seq == Long.MIN_VALUE) return Optional.empty();
            List<UsageRecord.AttemptRecord> attempts = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT seq, provider, model, outcome, latency_ms, ttft_ms, input_tokens, "
                    + "cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nusd, detail FROM attempt_log "
                    + "WHERE request_seq = ? ORDER BY seq")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long in = rs.getLong("input_tokens");
                        Usage u = rs.wasNull() ? null : new Usage(in, rs.getLong("cached_tokens"), rs.getLong("cache_write_tokens"),
                                rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"));
                        long ttft = rs.getLong("ttft_ms");
                        boolean noTtft = rs.wasNull();
                        attempts.add(new UsageRecord.AttemptRecord(rs.getInt("seq"), rs.getString("provider"), rs.getString("model"),
                                rs.getString("outcome"), rs.getLong("latency_ms"), noTtft ? -1 : ttft, u, nanos(rs, "cost_nusd"),
                                rs.getString("detail")));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT " + REQUEST_COLUMNS + " FROM requests WHERE seq = ?")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(request(rs, attempts)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The key of the row stored under a minted id: a scan of its millisecond's keys (a handful of rows) for the id's
     * random bits; Long.MIN_VALUE when there is none.
     */
    private static long minted(Connection c, String id) throws SQLException {
        long ts = RequestIds.mintedMillis(id);
        if (ts < 0) return Long.MIN_VALUE;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq FROM ledger_requests WHERE seq >= ? AND seq < ? AND rid = ? AND client_id IS NULL")) {
            s.setLong(1, LedgerRows.firstSeq(ts));
            s.setLong(2, LedgerRows.firstSeq(ts + 1));
            s.setLong(3, RequestIds.mintedRandom(id));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Long.MIN_VALUE;
            }
        }
    }

    private static UsageRecord request(ResultSet rs, List<UsageRecord.AttemptRecord> attempts) throws SQLException {
        long ttft = rs.getLong("ttft_us");
        boolean noTtft = rs.wasNull();
        return new UsageRecord(rs.getString("id"), rs.getLong("ts"), rs.getString("key_name"), rs.getString("route"),
                rs.getString("provider"), rs.getString("model"), rs.getInt("stream") != 0, rs.getInt("status"),
                rs.getString("error_type"), rs.getInt("truncated") != 0,
                new Usage(rs.getLong("input_tokens"), rs.getLong("cached_tokens"), rs.getLong("cache_write_tokens"),
                        rs.getLong("output_tokens"), rs.getLong("reasoning_tokens")),
                nanos(rs, "cost_nusd"), rs.getString("catalog_version"), rs.getLong("latency_us"), noTtft ? -1 : ttft,
                rs.getLong("overhead_us"), attempts.isEmpty() ? List.of() : List.copyOf(attempts));
    }

    private static java.math.BigDecimal nanos(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : CostCalculator.fromNanos(v);
    }
}
