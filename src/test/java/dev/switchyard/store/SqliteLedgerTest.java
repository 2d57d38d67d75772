package dev.switchyard.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The ledger on its default database, an SQLite file in WAL mode. The outage: another process holds the
 * database's write lock ({@code BEGIN EXCLUSIVE}), so every write fails with SQLITE_BUSY until it lets go —
 * what a stuck backup or a second writer does to a real deployment. (Making the file read-only would not
 * work here: tests run as root, and root ignores file modes.)
 */
class SqliteLedgerTest extends LedgerContract {
    private Connection locker;

    @Override
    String storeUrl() {
        return "sqlite:" + dir.resolve("data").resolve("ledger.db");
    }

    @Override
    void outage() throws Exception {
        locker = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("ledger.db"));
        try (Statement s = locker.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("BEGIN EXCLUSIVE");
        }
    }

    @Override
    void recover() throws Exception {
        if (locker == null) return;
        try (Statement s = locker.createStatement()) {
            s.execute("ROLLBACK");
        }
        locker.close();
        locker = null;
    }
}
