package dev.switchyard.store;

import dev.switchyard.accounting.Budgets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend per key for budgets, read once at startup: today, this month and in total (UTC), from every billed attempt
 * in the ledger plus what retention already pruned ({@code spend_rollup}).
 */
public final class SpendQueries {
    private static final String LEDGER = "SELECT key_name, "
            + "SUM(CASE WHEN ts >= ? THEN cost_nusd ELSE 0 END), SUM(CASE WHEN ts >= ? THEN cost_nusd ELSE 0 END), "
            + "SUM(cost_nusd) FROM attempt_log WHERE key_name IS NOT NULL AND cost_nusd IS NOT NULL GROUP BY key_name";
    private static final String ROLLUP = "SELECT key_name, SUM(CASE WHEN day >= ? THEN cost_nusd ELSE 0 END), "
            + "SUM(CASE WHEN day >= ? THEN cost_nusd ELSE 0 END), SUM(cost_nusd) FROM spend_rollup GROUP BY key_name";

    private final LedgerDatabase db;

    public SpendQueries(LedgerDatabase db) {
        this.db = db;
    }

    /** Spend per key as of {@code nowMillis}. */
    public List<Budgets.Loaded> load(long nowMillis) throws SQLException {
        long day = Budgets.dayStart(nowMillis);
        long month = Budgets.monthStart(nowMillis);
        Map<String, long[]> sums = new TreeMap<>();
        db.read(c -> {
            for (String sql : new String[] {LEDGER, ROLLUP}) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setLong(1, day);
                    s.setLong(2, month);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            long[] v = sums.computeIfAbsent(rs.getString(1), k -> new long[3]);
                            for (int i = 0; i < 3; i++) v[i] += rs.getLong(i + 2);
                        }
                    }
                }
            }
            return null;
        });
        List<Budgets.Loaded> out = new ArrayList<>(sums.size());
        sums.forEach((k, v) -> out.add(new Budgets.Loaded(k, v[0], v[1], v[2])));
        return out;
    }
}
