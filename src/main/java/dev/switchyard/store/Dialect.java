package dev.switchyard.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLNonTransientConnectionException;

/** The two databases the ledger speaks, and how each says "unavailable" as opposed to "bad row". */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * True when the failure is about the database being unreachable or busy (spill and retry later), false when
     * it is about the data (retry row by row and reject the bad ones, so one poison row never blocks the rest).
     */
    public boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) return true;
            if (t instanceof SQLException s) {
                if (this == SQLITE && sqliteUnavailable(s.getErrorCode())) return true;
                String state = s.getSQLState();
                if (this == POSTGRESQL && state != null
                        && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58"))) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) return true;
        }
        return false;
    }

    /** BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL: the file is there but cannot be written now. */
    private static boolean sqliteUnavailable(int primaryCode) {
        return switch (primaryCode & 0xff) {
            case 5, 6, 8, 10, 13, 14, 15 -> true;
            default -> false;
        };
    }
}
