package dev.switchyard.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.testkit.LogCapture;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A whole Switchyard as {@code Main} runs it ({@link GatewayApp}): a config file and a SQLite store in a test folder,
 * the admin key {@link #ADMIN} and the static client key {@link #CLIENT}; restartable on the same file and store.
 * Every log line is captured from the start, and every secret the test hands out or learns is remembered, so
 * {@link #assertNoSecretLogged()} can prove none reached a log line.
 */
final class OperatorsHarness implements AutoCloseable {
    static final String ADMIN = "adm-5ecret-7f3e9a";
    static final String CLIENT = "cli-5ecret-91ab2c";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    final Path dir;
    final Path configFile;
    private final Map<String, String> env;
    private final LogCapture logs = LogCapture.start();
    private final List<String> secrets = new CopyOnWriteArrayList<>(List.of(ADMIN, CLIENT));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    GatewayApp app;

    private OperatorsHarness(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.configFile = dir.resolve("switchyard.yaml");
        this.env = env;
    }

    /** The standard header (server, auth with {@link #ADMIN} and {@link #CLIENT}, the store) followed by {@code rest}. */
    static String config(Path dir, String rest) {
        return """
                server: { host: 127.0.0.1, port: 0 }
                auth:
                  admin_key: %s
                  keys:
                    - { name: static-app, key: %s, metadata: { team: core } }
                store: { url: "sqlite:%s" }
                """.formatted(ADMIN, CLIENT, dir.resolve("store.db")) + rest;
    }

    /** Writes {@code yaml} as the config file and starts on it. */
    static OperatorsHarness start(Path dir, String yaml) throws Exception {
        return start(dir, yaml, Map.of());
    }

    static OperatorsHarness start(Path dir, String yaml, Map<String, String> env) throws Exception {
        OperatorsHarness h = new OperatorsHarness(dir, env);
        Files.writeString(h.configFile, yaml);
        h.boot();
        return h;
    }

    private void boot() throws Exception {
        vertx = Vertx.vertx();
        try {
            app = GatewayApp.start(vertx, new GatewayApp.Options(configFile, null, ProviderRegistry.standard(), env::get, 1,
                    c -> c, null, 0, null));
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            vertx = null;
            throw e;
        }
    }

    /** Stops everything (the ledger written out), then starts again on the same file and store. */
    void restart() throws Exception {
        stop();
        boot();
    }

    void stop() throws Exception {
        if (app != null) app.stop(Duration.ofSeconds(2));
        app = null;
        if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
        vertx = null;
    }

    /** Remembers a secret learnt during the test (e.g. a created key) for {@link #assertNoSecretLogged()}. */
    String secret(String s) {
        secrets.add(s);
        return s;
    }

    void assertNoSecretLogged() {
        logs.assertNoneContains(secrets);
    }

    List<String> logLines() {
        return logs.lines();
    }

    String base() {
        return "http://127.0.0.1:" + app.gateway().port();
    }

    HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return send(method, path, json, ADMIN);
    }

    JsonNode adminOk(String method, String path, String json) throws Exception {
        HttpResponse<String> r = admin(method, path, json);
        if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + " → " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(String method, String path, String json, String key, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("content-type", "application/json");
        if (key != null) b.header("authorization", "Bearer " + key);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String path, String json, String key) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A chat request for {@code model}; {@code extra} is spliced into the body (e.g. {@code "stream":true}). */
    HttpResponse<String> chat(String key, String model, String extra) throws Exception {
        return send("POST", "/v1/chat/completions", chatBody(model, extra), key);
    }

    static String chatBody(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]"
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Waits until every usage record so far is in the ledger (and so in budgets' view after a restart). */
    void flushLedger() throws Exception {
        app.accounting().ledger().flush().get(10, TimeUnit.SECONDS);
    }

    static List<String> field(JsonNode array, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.path(name).asText());
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            logs.close();
        }
    }
}
