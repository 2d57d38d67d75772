package dev.switchyard.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code store.url} made concrete: {@code sqlite:PATH} (embedded, the default) or
 * {@code postgresql://[user[:password]@]host[:port]/db[?params]} ({@code postgres://} too). A password in the
 * URL goes to the driver as a property, never into logs: {@link #display()} omits it.
 *
 * @param sqliteFile the database file for SQLite, else null
 */
public record StoreUrl(Dialect dialect, String jdbcUrl, Properties properties, Path sqliteFile, String display) {

    public static StoreUrl parse(String url) {
        if (url.startsWith("sqlite:")) {
            String file = url.substring("sqlite:".length());
            if (file.startsWith("//")) file = file.substring(2);
            if (file.isEmpty()) throw new IllegalArgumentException("store.url 'sqlite:' needs a file path, e.g. sqlite:./data/switchyard.db");
            Path p = Path.of(file);
            return new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + p, new Properties(), p, "sqlite:" + p);
        }
        String rest;
        if (url.startsWith("postgresql://")) rest = url.substring("postgresql://".length());
        else if (url.startsWith("postgres://")) rest = url.substring("postgres://".length());
        else throw new IllegalArgumentException("store.url '" + url + "' must start with sqlite: or postgresql://");
        Properties props = new Properties();
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) props.setProperty("password", decode(userInfo.substring(colon + 1)));
        }
        // pgjdbc then sends a batch as multi-row INSERTs: several times the rows per round trip
        if (!rest.contains("reWriteBatchedInserts")) props.setProperty("reWriteBatchedInserts", "true");
        URI check = URI.create("postgresql://" + rest);
        if (check.getHost() == null) throw new IllegalArgumentException("store.url needs a host: postgresql://host:5432/db");
        String display = "postgresql://" + (props.containsKey("user") ? props.getProperty("user") + "@" : "")
                + check.getHost() + (check.getPort() > 0 ? ":" + check.getPort() : "") + (check.getPath() == null ? "" : check.getPath());
        return new StoreUrl(Dialect.POSTGRESQL, "jdbc:postgresql://" + rest, props, null, display);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Where batches wait while the database is unreachable: beside the SQLite file, or under ./data. */
    public Path defaultSpillFile() {
        if (sqliteFile != null) return sqliteFile.resolveSibling(sqliteFile.getFileName() + ".spill.jsonl");
        return Path.of("data", "ledger-spill.jsonl");
    }
}
