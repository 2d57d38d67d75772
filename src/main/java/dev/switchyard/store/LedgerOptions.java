package dev.switchyard.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the {@link Ledger} queues, batches, spills and prunes. {@link #defaults} is what the gateway runs with.
 *
 * @param queueCapacity records waiting for the writer; beyond it they are dropped and counted
 * @param batchSize     most records per insert transaction
 * @param batchWindow   how long the writer waits for a batch to fill after its first record
 * @param spillMaxBytes bound of the spill file used while the database is unavailable
 * @param retryMin      first wait before reconnecting after an outage, doubled up to {@code retryMax}
 * @param busyTimeout   how long SQLite waits for a lock before the write counts as an outage
 * @param retention     rows older than this are deleted; zero keeps everything
 * @param pruneEvery    how often retention runs
 */
public record LedgerOptions(int queueCapacity, int batchSize, Duration batchWindow, Path spillFile, long spillMaxBytes,
        Duration retryMin, Duration retryMax, Duration busyTimeout, Duration retention, Duration pruneEvery) {

    public static LedgerOptions defaults(StoreUrl url, Duration retention) {
        return new LedgerOptions(65_536, 500, Duration.ofMillis(50), url.defaultSpillFile(), 256L * 1024 * 1024,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), retention, Duration.ofMinutes(10));
    }

    public LedgerOptions withSpillFile(Path p) {
        return new LedgerOptions(queueCapacity, batchSize, batchWindow, p, spillMaxBytes, retryMin, retryMax, busyTimeout,
                retention, pruneEvery);
    }

    public LedgerOptions withBusyTimeout(Duration d) {
        return new LedgerOptions(queueCapacity, batchSize, batchWindow, spillFile, spillMaxBytes, retryMin, retryMax, d,
                retention, pruneEvery);
    }

    public LedgerOptions withQueueCapacity(int n) {
        return new LedgerOptions(n, batchSize, batchWindow, spillFile, spillMaxBytes, retryMin, retryMax, busyTimeout,
                retention, pruneEvery);
    }
}
