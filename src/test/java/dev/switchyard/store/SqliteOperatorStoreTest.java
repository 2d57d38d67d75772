package dev.switchyard.store;

/** The operator tables on SQLite. */
class SqliteOperatorStoreTest extends OperatorStoreContract {
    @Override
    String storeUrl() {
        return "sqlite:" + dir.resolve("store.db");
    }
}
