package dev.switchyard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's view of {@code ledger_names}: each name a request row mentions (key, public model, provider, upstream
 * model, catalog version, error type) is stored once and referred to by a small integer, which the database assigns.
 * The few names a gateway meets (they come from its configuration) are cached for the writer's lifetime, so a row
 * costs no lookup; a new name costs one insert, committed before the rows that use it. Several writers (instances
 * sharing a PostgreSQL ledger) may add the same name at once: the unique name decides, and all read the same id.
 * Confined to the writer thread.
 */
final class LedgerNames {
    private static final String INSERT = "INSERT INTO ledger_names (name) VALUES (?) ON CONFLICT (name) DO NOTHING";
    private static final String SELECT = "SELECT id FROM ledger_names WHERE name = ?";
    /** Beyond this many cached names the cache starts over (names should be few; this only bounds memory). */
    private static final int MAX_CACHED = 100_000;

    private final Map<String, Integer> ids = new HashMap<>();
    /**
     * The names of the last record looked at and their ids: consecutive records mostly carry the very same strings
     * (they come from the configuration), and a map lookup per name costs the writer a cache miss each (the record
     * was built on the event loop a batch window earlier).
     */
    private final String[] last = new String[6];
    private final int[] lastIds = new int[6];
    private boolean lastIdsKnown;

    /**
     * The ids of the record's key, route, provider, model, catalog version and error type (0 for none), in that
     * order; every name must have been {@link #ensure}d. The array is reused: read it before the next call.
     */
    int[] refs(LedgerRow r) {
        if (lastIdsKnown && sameAsLast(r)) return lastIds;
        remember(r);
        for (int i = 0; i < last.length; i++) lastIds[i] = ref(last[i]);
        lastIdsKnown = true;
        return lastIds;
    }

    /** The id of a name already {@link #ensure}d; 0 for null. */
    int ref(String name) {
        if (name == null) return 0;
        Integer id = ids.get(name);
        if (id == null) throw new IllegalStateException("name not ensured: " + name);
        return id;
    }

    /** Makes sure every name the records mention has an id, inserting (and committing) the new ones. */
    void ensure(Connection c, List<LedgerRow> records) throws SQLException {
        if (ids.size() > MAX_CACHED) {
            ids.clear();
            forgetLast();
        }
        List<String> missing = null;
        for (LedgerRow r : records) {
            if (sameAsLast(r)) continue;
            remember(r);
            for (String name : last) missing = note(missing, name);
        }
        if (missing == null) return;
        List<String> add = missing;
        Map<String, Integer> found = new HashMap<>();
        forgetLast(); // until the new names are committed, no record may skip the check
        LedgerSql.inTransaction(c, () -> {
            try (PreparedStatement ins = c.prepareStatement(INSERT); PreparedStatement sel = c.prepareStatement(SELECT)) {
                for (String name : add) {
                    ins.setString(1, name);
                    ins.executeUpdate();
                    sel.setString(1, name);
                    try (ResultSet rs = sel.executeQuery()) {
                        if (!rs.next()) throw new SQLException("ledger_names has no row for a name just inserted");
                        found.put(name, rs.getInt(1));
                    }
                }
            }
        });
        ids.putAll(found); // only once committed: a rolled-back id must not be used
    }

    /** The same name objects as the last row looked at (identity: they come from the configuration). */
    private boolean sameAsLast(LedgerRow r) {
        return r.key == last[0] && r.route == last[1] && r.provider == last[2] && r.model == last[3] && r.catalog == last[4]
                && r.error == last[5];
    }

    private void remember(LedgerRow r) {
        last[0] = r.key;
        last[1] = r.route;
        last[2] = r.provider;
        last[3] = r.model;
        last[4] = r.catalog;
        last[5] = r.error;
        lastIdsKnown = false;
    }

    private void forgetLast() {
        Arrays.fill(last, null);
        lastIdsKnown = false;
    }

    private List<String> note(List<String> missing, String name) {
        if (name == null || ids.containsKey(name) || (missing != null && missing.contains(name))) return missing;
        if (missing == null) missing = new ArrayList<>(4);
        missing.add(name);
        return missing;
    }
}
