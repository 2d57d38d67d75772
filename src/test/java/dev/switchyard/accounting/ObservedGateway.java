package dev.switchyard.accounting;

import dev.switchyard.accounting.tracing.Tracing;
import dev.switchyard.app.Gateway;
import dev.switchyard.app.Observability;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A real gateway on a free loopback port with observability wired as {@code Main} wires it. */
final class ObservedGateway implements AutoCloseable {
    final Vertx vertx;
    final Gateway gateway;
    final Observability observability;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One permit per finished request, released after every recorder has seen it. */
    private final Semaphore recorded;

    private ObservedGateway(Vertx vertx, Gateway gateway, Observability observability, Semaphore recorded) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.observability = observability;
        this.recorded = recorded;
    }

    /** Waits until {@code n} more requests have been recorded: the response can reach the client first. */
    void awaitRecorded(int n) throws InterruptedException {
        if (!recorded.tryAcquire(n, 20, TimeUnit.SECONDS)) throw new AssertionError("requests were not recorded");
    }

    static ObservedGateway start(String yaml) throws Exception {
        return start(yaml, System::currentTimeMillis, null);
    }

    /** @param tracing null: built from the config (OTLP when it names an endpoint) */
    static ObservedGateway start(String yaml, LongSupplier clock, Tracing tracing) throws Exception {
        ProviderRegistry registry = ProviderRegistry.standard();
        GatewayConfig config = new ConfigLoader(registry, n -> null).parse(yaml, "test");
        Observability obs = tracing == null && config.otlpEndpoint() != null
                ? Observability.create(config, registry, CostSource.NONE)
                : Observability.create(config, registry, CostSource.NONE, clock, tracing);
        Vertx vertx = obs.newVertx(new VertxOptions());
        Semaphore recorded = new Semaphore(0);
        Gateway g = Gateway.start(vertx, config, registry, n -> null, 1, obs.outcomes().andThen(o -> recorded.release()),
                obs.extensions()).await(20, TimeUnit.SECONDS);
        return new ObservedGateway(vertx, g, obs, recorded);
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String key, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) b.header("Authorization", "Bearer " + key);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    @Override
    public void close() {
        try {
            gateway.shutdown(Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
            observability.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not stop", e);
        } finally {
            http.close();
        }
    }
}
