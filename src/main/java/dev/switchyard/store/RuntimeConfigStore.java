package dev.switchyard.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime layer of the configuration ({@code runtime_config}): entries of the {@code providers}, {@code models}
 * and {@code pricing} sections set through the admin API, as JSON text, or removals. Blocking JDBC, worker threads only.
 */
public final class RuntimeConfigStore {
    /**
     * One entry.
     *
     * @param body the entry's JSON, or null when the entry is removed (it hides the file's entry of that name)
     */
    public record Entry(String section, String name, String body, long updatedAt) {}

    private final LedgerDatabase db;

    public RuntimeConfigStore(LedgerDatabase db) {
        this.db = db;
    }

    public List<Entry> all() throws SQLException {
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT section, name, body, updated_at FROM runtime_config ORDER BY section, name");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
            return out;
        });
    }

    /** Sets (or, with a null body, marks removed) one entry. */
    public void put(Entry e) throws SQLException {
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runtime_config (section, name, body, updated_at) VALUES (?,?,?,?) "
                    + "ON CONFLICT (section, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")) {
                s.setString(1, e.section());
                s.setString(2, e.name());
                s.setString(3, e.body());
                s.setLong(4, e.updatedAt());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets an entry: the file's entry of that name, if any, applies again. */
    public void delete(String section, String name) throws SQLException {
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM runtime_config WHERE section = ? AND name = ?")) {
                s.setString(1, section);
                s.setString(2, name);
                s.executeUpdate();
            }
            return null;
        });
    }
}
