package dev.switchyard.store;

import java.util.concurrent.atomic.AtomicInteger;

/** The compact row format on SQLite files. */
class SqliteLedgerSchemaTest extends LedgerSchemaContract {
    private final AtomicInteger files = new AtomicInteger();

    @Override
    String freshStoreUrl() {
        return "sqlite:" + dir.resolve("data").resolve("ledger-" + files.incrementAndGet() + ".db");
    }
}
