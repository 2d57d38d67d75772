package dev.switchyard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.auth.Budget;
import dev.switchyard.auth.KeyMetadata;
import dev.switchyard.auth.VirtualKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Client keys created through the admin API ({@code virtual_keys}): blocking JDBC, for worker threads only. */
public final class KeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, name, secret_sha256, models, budget_day_nusd, budget_month_nusd, budget_total_nusd, "
            + "rpm, tpm, team, owner, tags, created_at, updated_at, expires_at, revoked_at";

    private final LedgerDatabase db;

    public KeyStore(LedgerDatabase db) {
        this.db = db;
    }

    /** Every key, revoked and expired ones included. */
    public List<VirtualKey> all() throws SQLException {
        return db.read(c -> {
            List<VirtualKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM virtual_keys ORDER BY created_at, id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        });
    }

    /** @throws SQLException also when the id, name or secret is taken (a unique constraint) */
    public void insert(VirtualKey k) throws SQLException {
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO virtual_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                s.setString(1, k.id());
                s.setString(2, k.name());
                s.setString(3, k.digestHex());
                bindMutable(s, 4, k);
                s.setLong(13, k.createdAt());
                s.setLong(14, k.updatedAt());
                setLong(s, 15, k.expiresAt());
                setLong(s, 16, k.revokedAt());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Writes every changeable field of the key with this id (never its name or secret). */
    public void update(VirtualKey k) throws SQLException {
        int n = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE virtual_keys SET models = ?, budget_day_nusd = ?, "
                    + "budget_month_nusd = ?, budget_total_nusd = ?, rpm = ?, tpm = ?, team = ?, owner = ?, tags = ?, "
                    + "updated_at = ?, expires_at = ?, revoked_at = ? WHERE id = ?")) {
                bindMutable(s, 1, k);
                s.setLong(10, k.updatedAt());
                setLong(s, 11, k.expiresAt());
                setLong(s, 12, k.revokedAt());
                s.setString(13, k.id());
                return s.executeUpdate();
            }
        });
        if (n != 1) throw new SQLException("no key with id " + k.id());
    }

    /** Binds models, the three budgets, rpm, tpm, team, owner and tags from {@code first} on. */
    private static void bindMutable(PreparedStatement s, int first, VirtualKey k) throws SQLException {
        s.setString(first, json(k.models()));
        setLong(s, first + 1, k.budget().perDay());
        setLong(s, first + 2, k.budget().perMonth());
        setLong(s, first + 3, k.budget().total());
        setInt(s, first + 4, k.rpm());
        setInt(s, first + 5, k.tpm());
        s.setString(first + 6, k.metadata().team());
        s.setString(first + 7, k.metadata().user());
        s.setString(first + 8, json(k.metadata().tags()));
    }

    private static VirtualKey read(ResultSet rs) throws SQLException {
        return new VirtualKey(rs.getString(1), rs.getString(2), rs.getString(3), strings(rs.getString(4)),
                new Budget(getLong(rs, 5), getLong(rs, 6), getLong(rs, 7)), getInt(rs, 8), getInt(rs, 9),
                new KeyMetadata(rs.getString(10), rs.getString(11), strings(rs.getString(12))),
                rs.getLong(13), rs.getLong(14), getLong(rs, 15), getLong(rs, 16));
    }

    private static String json(List<String> l) {
        try {
            return JSON.writeValueAsString(l);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String json) throws SQLException {
        try {
            return json == null ? List.of() : JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("virtual_keys holds a malformed list: " + e.getOriginalMessage(), e);
        }
    }

    static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) s.setNull(i, Types.BIGINT);
        else s.setLong(i, v);
    }

    private static void setInt(PreparedStatement s, int i, Integer v) throws SQLException {
        if (v == null) s.setNull(i, Types.INTEGER);
        else s.setInt(i, v);
    }

    static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }
}
