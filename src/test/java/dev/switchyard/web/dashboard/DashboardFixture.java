package dev.switchyard.web.dashboard;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.app.Accounting;
import dev.switchyard.app.Gateway;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.store.LedgerOptions;
import dev.switchyard.store.StoreUrl;
import dev.switchyard.web.UsageApi;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gateway wired as {@code app.Main} wires it (usage API, dashboard, a SQLite ledger in a temp folder) on
 * 127.0.0.1 and a free port, with plain-HTTP helpers for the client API, the admin API and the dashboard's.
 */
final class DashboardFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String ADMIN_KEY = "admin-secret";

    final Vertx vertx;
    final Accounting accounting;
    final Gateway gateway;
    final Sessions sessions;
    private final LinkedBlockingQueue<ExchangeOutcome> outcomes;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private DashboardFixture(Vertx vertx, Accounting accounting, Gateway gateway, Sessions sessions,
            LinkedBlockingQueue<ExchangeOutcome> outcomes) {
        this.vertx = vertx;
        this.accounting = accounting;
        this.gateway = gateway;
        this.sessions = sessions;
        this.outcomes = outcomes;
    }

    /** @param yaml a full configuration whose {@code %s} is replaced by the ledger's file */
    static DashboardFixture start(String yaml, Path dir) throws Exception {
        GatewayConfig config = new ConfigLoader(ProviderRegistry.standard(), k -> null)
                .parse(yaml.formatted(dir.resolve("ledger.db")), "dashboard-test.yaml");
        Accounting accounting = Accounting.open(config, LedgerOptions.defaults(StoreUrl.parse(config.store().url()),
                config.store().retention()));
        Vertx vertx = Vertx.vertx();
        LinkedBlockingQueue<ExchangeOutcome> outcomes = new LinkedBlockingQueue<>();
        AtomicReference<Gateway> running = new AtomicReference<>();
        Sessions sessions = new Sessions(Dashboard.SESSION_TTL, System::currentTimeMillis);
        UsageApi usage = accounting.usageApi();
        Dashboard dashboard = new Dashboard(usage, () -> running.get() == null ? null : running.get().health(), sessions);
        try {
            Gateway g = Gateway.start(vertx, config, ProviderRegistry.standard(), k -> null, 1,
                    accounting.outcomes().andThen(outcomes::add), new Gateway.Extensions(List.of(usage, dashboard)),
                    accounting.costQuote()).await(20, TimeUnit.SECONDS);
            running.set(g);
            return new DashboardFixture(vertx, accounting, g, sessions, outcomes);
        } catch (Exception e) {
            accounting.close();
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    String base() {
        return "http://127.0.0.1:" + gateway.port();
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base() + path)).GET().timeout(Duration.ofSeconds(30));
        if (headers.length > 0) r.headers(headers);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30));
        if (headers.length > 0) r.headers(headers);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin API document, read with the admin key. */
    JsonNode admin(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery, "Authorization", "Bearer " + ADMIN_KEY);
        if (r.statusCode() != 200) throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** A chat completion from a client key, with a known request id; the answer's status is returned. */
    int chat(String key, String id, String model, boolean stream) throws IOException, InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"how much and how fast?\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
        return post("/v1/chat/completions", body, "Authorization", "Bearer " + key, "Content-Type", "application/json",
                "x-request-id", id).statusCode();
    }

    /** Waits until {@code n} more exchanges have been reported, then until the ledger has written them. */
    void awaitRecorded(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            if (outcomes.poll(20, TimeUnit.SECONDS) == null) throw new AssertionError("exchange " + (i + 1) + " of " + n + " was not reported");
        }
        accounting.ledger().flush().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.shutdown(Duration.ofMillis(500)).await(10, TimeUnit.SECONDS);
        } finally {
            accounting.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
