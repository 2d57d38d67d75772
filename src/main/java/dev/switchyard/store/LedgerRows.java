package dev.switchyard.store;

import dev.switchyard.model.RequestIds;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * How a usage record becomes a {@code ledger_requests} row (schema V4), in one of two statements with the same effect.
 *
 * <p>{@link #INSERT_PACKED} (SQLite) binds 11 values where the row has 25 columns: small numbers travel two or three
 * to a 64-bit value and SQLite unpacks them with shifts and masks. The writer's cost per row is mostly binding (the
 * xerial driver crosses JNI once per value, ~70 ns each, measured), and SQLite's own work per column is a fraction of
 * that. {@link #INSERT_PLAIN} binds every column: for PostgreSQL (its driver binds in Java; numbered parameters are
 * SQLite syntax), for ids a client chose, and for the rare row whose numbers do not fit the packing.
 */
final class LedgerRows {
    static final String COLUMNS = "seq, rid, client_id, key_ref, route_ref, provider_ref, model_ref, catalog_ref, error_ref, "
            + "stream, status, truncated, attempts, input_tokens, cached_tokens, cache_write_tokens, output_tokens, "
            + "reasoning_tokens, cost_nusd, latency_us, ttft_us, overhead_us, solo_latency_ms, solo_ttft_ms, solo_usage";

    static final String INSERT_PLAIN = "INSERT INTO ledger_requests (" + COLUMNS + ") VALUES (" + "?,".repeat(24) + "?)";

    private static final String LOW = " & 4294967295";
    private static final String REF = " & 2097151";
    /** Name ids the packed statement carries: three to a value. */
    static final int MAX_PACKED_REF = (1 << 21) - 1;
    /**
     * ?1 seq, ?2 rid (a minted id: client_id NULL), ?3 key|route|provider, ?4 model|catalog|error (name refs of 21
     * bits, 0 = none, lowest first), ?5 flags (status: bits 0-9, stream: 10, truncated: 11, solo_usage + 1: 12-13,
     * attempts: 16-30), ?6 input|output tokens, ?7 cached|cache_write tokens, ?8 reasoning tokens | ttft + 1 (0 =
     * none), ?9 cost, ?10 latency|overhead, ?11 solo latency + 1 | solo ttft + 1 (0 = none); pairs low half first.
     */
    static final String INSERT_PACKED = "INSERT INTO ledger_requests (" + COLUMNS + ") VALUES (?1, ?2, NULL, "
            + "NULLIF(?3" + REF + ", 0), NULLIF((?3 >> 21)" + REF + ", 0), NULLIF(?3 >> 42, 0), "
            + "NULLIF(?4" + REF + ", 0), NULLIF((?4 >> 21)" + REF + ", 0), NULLIF(?4 >> 42, 0), "
            + "(?5 >> 10) & 1, ?5 & 1023, (?5 >> 11) & 1, ?5 >> 16, "
            + "?6" + LOW + ", ?7" + LOW + ", ?7 >> 32, ?6 >> 32, ?8" + LOW + ", ?9, ?10" + LOW + ", NULLIF(?8 >> 32, 0) - 1, ?10 >> 32, "
            + "NULLIF(?11" + LOW + ", 0) - 1, NULLIF(?11 >> 32, 0) - 1, NULLIF((?5 >> 12) & 3, 0) - 1)";

    /**
     * The key: {@code seq = (ts - EPOCH) << LOW_BITS | n}, ts the request's start in epoch ms and n a number the
     * writer picks so rows of one millisecond differ (4 million per ms). Time-ordered, so a time range is a key
     * range; on SQLite the key is the rowid.
     */
    static final long EPOCH = 1_577_836_800_000L; // 2020-01-01T00:00:00Z
    static final int LOW_BITS = 22;
    static final long LOW_MASK = (1L << LOW_BITS) - 1;
    /** The key has 41 bits for the millisecond: 1950 to 2089; times outside are clamped. */
    private static final long SPAN = 1L << 41;

    private LedgerRows() {}

    /** The smallest key of millisecond {@code ts}: rows of [from, to) have keys in [firstSeq(from), firstSeq(to)). */
    static long firstSeq(long ts) {
        long t = Math.max(EPOCH - SPAN, Math.min(EPOCH + SPAN - 1, ts)) - EPOCH;
        return t << LOW_BITS;
    }

    /** The request start a key holds. */
    static long seqTs(long seq) {
        return (seq >> LOW_BITS) + EPOCH;
    }

    /**
     * A minted id's 64 random bits (the id is rebuilt from ts and rid), or for an id a client chose, a 64-bit hash of
     * it: with ts, what tells whether a replayed record is already there.
     */
    static long rid(String id, boolean minted) {
        return minted ? RequestIds.mintedRandom(id) : hash64(id);
    }

    /** FNV-1a over the UTF-16 units, then a 64-bit finaliser (murmur3's fmix64) to spread the bits. */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** True when the packed statement can carry the row with these name ids ({@link LedgerRow#packs}). */
    static boolean packs(LedgerRow w, int[] refs) {
        if (w.clientId != null || !w.packs()) return false;
        for (int r : refs) if (r > MAX_PACKED_REF) return false;
        return true;
    }

    /** @param refs the row's name ids ({@link LedgerNames#refs}) */
    static void bindPacked(PreparedStatement s, LedgerRow w, int[] refs) throws SQLException {
        s.setLong(1, w.seq);
        s.setLong(2, w.rid);
        s.setLong(3, refs[0] | (long) refs[1] << 21 | (long) refs[2] << 42);
        s.setLong(4, refs[3] | (long) refs[4] << 21 | (long) refs[5] << 42);
        s.setLong(5, w.status | (w.stream ? 1L << 10 : 0) | (w.truncated ? 1L << 11 : 0)
                | (w.soloUsage + 1L) << 12 | (long) w.attempts << 16);
        s.setLong(6, pair(w.input, w.output));
        s.setLong(7, pair(w.cached, w.cacheWrite));
        s.setLong(8, pair(w.reasoning, w.ttftUs == LedgerRow.NONE ? 0 : w.ttftUs + 1));
        setLong(s, 9, w.costNanos);
        s.setLong(10, pair(w.latencyUs, w.overheadUs));
        s.setLong(11, pair(w.soloLatencyMs == LedgerRow.NONE ? 0 : w.soloLatencyMs + 1,
                w.soloTtftMs == LedgerRow.NONE ? 0 : w.soloTtftMs + 1));
    }

    static void bindPlain(PreparedStatement s, LedgerRow w, int[] refs) throws SQLException {
        s.setLong(1, w.seq);
        s.setLong(2, w.rid);
        s.setString(3, w.clientId);
        for (int i = 0; i < 6; i++) setRef(s, 4 + i, refs[i]);
        s.setInt(10, w.stream ? 1 : 0);
        s.setInt(11, w.status);
        s.setInt(12, w.truncated ? 1 : 0);
        s.setInt(13, w.attempts);
        s.setLong(14, w.input);
        s.setLong(15, w.cached);
        s.setLong(16, w.cacheWrite);
        s.setLong(17, w.output);
        s.setLong(18, w.reasoning);
        setLong(s, 19, w.costNanos);
        s.setLong(20, w.latencyUs);
        setLong(s, 21, w.ttftUs);
        s.setLong(22, w.overheadUs);
        setLong(s, 23, w.soloLatencyMs);
        setLong(s, 24, w.soloTtftMs);
        if (w.soloUsage < 0) s.setNull(25, Types.SMALLINT);
        else s.setInt(25, w.soloUsage);
    }

    private static long pair(long low, long high) {
        return low | high << 32;
    }

    private static void setRef(PreparedStatement s, int i, int ref) throws SQLException {
        if (ref == 0) s.setNull(i, Types.INTEGER);
        else s.setInt(i, ref);
    }

    /** {@code v}, or NULL for {@link LedgerRow#NONE}. */
    static void setLong(PreparedStatement s, int i, long v) throws SQLException {
        if (v == LedgerRow.NONE) s.setNull(i, Types.BIGINT);
        else s.setLong(i, v);
    }
}
