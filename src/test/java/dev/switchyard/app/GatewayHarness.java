package dev.switchyard.app;

import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A gateway started in-process on a free loopback port from a YAML string, and a client for it. */
final class GatewayHarness implements AutoCloseable {
    record Reply(int status, MultiMap headers, String body) {}

    final Gateway gateway;
    private final HttpClient client;

    private GatewayHarness(Gateway gateway, HttpClient client) {
        this.gateway = gateway;
        this.client = client;
    }

    static GatewayHarness start(Vertx vertx, ProviderRegistry registry, String yaml) throws Exception {
        // a free loopback port, unless the test brings its own server section (which must say port: 0)
        String full = yaml.contains("\nserver:") ? yaml : yaml + "\nserver: {host: 127.0.0.1, port: 0}\n";
        GatewayConfig config = new ConfigLoader(registry, name -> null).parse(full, "test");
        Gateway g = Gateway.start(vertx, config, registry, name -> null, 1, o -> { }).await(20, TimeUnit.SECONDS);
        return new GatewayHarness(g, vertx.createHttpClient());
    }

    Reply post(String path, String json) throws Exception {
        return send(HttpMethod.POST, path, json, "Bearer " + KEY);
    }

    /** Sends a request; {@code authorization} null sends none, a body null sends none. */
    Reply send(HttpMethod method, String path, String body, String authorization, String... headers) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(gateway.port()).setURI(path);
        if (body != null) o.putHeader("content-type", "application/json");
        if (authorization != null) o.putHeader("authorization", authorization);
        for (int i = 0; i < headers.length; i += 2) o.putHeader(headers[i], headers[i + 1]);
        Future<Reply> f = client.request(o).compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString()))));
        return f.await(30, TimeUnit.SECONDS);
    }

    /** The client key {@link #post} sends; configs that want it declare it. */
    static final String KEY = "sk-test-client";

    @Override
    public void close() throws Exception {
        client.close().await(10, TimeUnit.SECONDS);
        gateway.shutdown(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
}
