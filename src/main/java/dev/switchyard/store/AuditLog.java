package dev.switchyard.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The audit log of admin actions ({@code audit_log}). Blocking JDBC, worker threads only. */
public final class AuditLog {
    /**
     * One admin action.
     *
     * @param actor   which admin credential acted (its name, never its secret)
     * @param remote  the caller's address
     * @param action  e.g. {@code key.create}, {@code config.provider.put}
     * @param target  what was acted on (key id, provider name…), or null
     * @param outcome {@code ok}, {@code rejected} (the request was refused, nothing changed) or {@code failed}
     * @param status  the HTTP status the caller got
     * @param detail  what changed, or why not; never a secret
     */
    public record Entry(long ts, String id, String actor, String remote, String action, String target, String outcome,
            int status, String detail) {}

    private final LedgerDatabase db;

    public AuditLog(LedgerDatabase db) {
        this.db = db;
    }

    public void append(Entry e) throws SQLException {
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (ts, id, actor, remote, action, target, outcome, "
                    + "status, detail) VALUES (?,?,?,?,?,?,?,?,?)")) {
                s.setLong(1, e.ts());
                s.setString(2, e.id());
                s.setString(3, e.actor());
                s.setString(4, bounded(e.remote(), 100));
                s.setString(5, e.action());
                s.setString(6, bounded(e.target(), 300));
                s.setString(7, e.outcome());
                s.setInt(8, e.status());
                s.setString(9, bounded(e.detail(), 2000));
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Newest first.
     *
     * @param action an exact action, or a prefix ending in {@code *} ({@code key.*}); null for all
     */
    public List<Entry> query(long since, String action, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ts, id, actor, remote, action, target, outcome, status, detail FROM audit_log WHERE ts >= ?");
        String pattern = null;
        if (action != null) {
            if (action.endsWith("*")) {
                pattern = action.substring(0, action.length() - 1).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                sql.append(" AND action LIKE ? ESCAPE '\\'");
            } else {
                pattern = action;
                sql.append(" AND action = ?");
            }
        }
        sql.append(" ORDER BY ts DESC, id DESC LIMIT ?");
        String p = pattern;
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                s.setLong(i++, since);
                if (p != null) s.setString(i++, p);
                s.setInt(i, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    private static String bounded(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
