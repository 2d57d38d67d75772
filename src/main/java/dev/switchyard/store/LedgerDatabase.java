package dev.switchyard.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Connections to the ledger's database: schema migrations (Flyway, {@code db/ledger}), a small set of idle read
 * connections for the usage API, and fresh connections for the writer. SQLite runs in WAL mode, so the API
 * reads while the writer writes.
 */
public final class LedgerDatabase implements AutoCloseable {
    /** Work done with a borrowed connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final StoreUrl url;
    private final Duration busyTimeout;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(4);
    private volatile boolean migrated;
    private volatile boolean closed;

    public LedgerDatabase(StoreUrl url, Duration busyTimeout) {
        this.url = url;
        this.busyTimeout = busyTimeout;
    }

    public StoreUrl url() {
        return url;
    }

    public Dialect dialect() {
        return url.dialect();
    }

    /** Applies pending migrations once; safe to call again after a failure. */
    public synchronized void migrate() throws SQLException {
        if (migrated) return;
        try {
            prepareFile();
            Properties p = url.properties();
            Flyway.configure()
                    .dataSource(url.jdbcUrl(), p.getProperty("user"), p.getProperty("password"))
                    .locations("classpath:db/ledger")
                    .placeholders(url.dialect().migrationPlaceholders())
                    .table("switchyard_schema_history")
                    .connectRetries(0)
                    .load()
                    .migrate();
            migrated = true;
        } catch (IOException e) {
            throw new SQLException("cannot create the folder for " + url.display() + ": " + e.getMessage(), "08001", e);
        } catch (RuntimeException e) {
            // Flyway wraps the driver's failure; keep the SQLException so callers can classify it
            for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SQLException s) throw s;
            throw new SQLException("schema migration of " + url.display() + " failed: " + e.getMessage(), "08001", e);
        }
    }

    public boolean migrated() {
        return migrated;
    }

    private void prepareFile() throws IOException {
        Path f = url.sqliteFile();
        if (f != null && f.toAbsolutePath().getParent() != null) Files.createDirectories(f.toAbsolutePath().getParent());
    }

    /** A new connection, set up for the ledger (WAL and a busy timeout on SQLite). */
    public Connection open() throws SQLException {
        return open(url.properties());
    }

    /**
     * A connection for the writer thread alone. On SQLite it is opened without the connection mutex (SQLite's
     * "multi-thread" mode), which every call into the library otherwise takes: one thread at a time uses it.
     */
    Connection openForWriter() throws SQLException {
        if (url.dialect() != Dialect.SQLITE) return open();
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        Properties p = new Properties();
        p.putAll(url.properties());
        p.putAll(config.toProperties());
        return open(p);
    }

    private Connection open(Properties properties) throws SQLException {
        if (closed) throw new SQLException("the ledger database is closed", "08003");
        migrate();
        Connection c = DriverManager.getConnection(url.jdbcUrl(), properties);
        try (Statement s = c.createStatement()) {
            if (url.dialect() == Dialect.SQLITE) {
                s.execute("PRAGMA journal_mode=WAL");
                // durable across a process crash; a power cut may lose the last transactions (see docs)
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Runs read work on an idle connection (or a new one); a connection that failed is closed, not reused. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        Connection c = idle.poll();
        if (c == null) c = open();
        boolean ok = false;
        try {
            T result = work.run(c);
            ok = true;
            return result;
        } finally {
            if (ok && !closed && idle.offer(c)) {
                // kept for the next query
            } else {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already broken
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
