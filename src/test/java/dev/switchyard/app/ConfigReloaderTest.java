package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.web.ConfigApi;
import dev.switchyard.web.ConfigControl;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
    private static final String BASE = """
            server: { port: 0 }
            auth:
              admin_key: admin-secret
              keys: [{ name: t, key: client-secret }]
            providers:
              a: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
            models:
              one: { targets: [a/m1] }
            """;

    @TempDir
    Path dir;
    private Vertx vertx;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (vertx != null) vertx.close().await();
    }

    private record Running(Gateway gateway, ConfigReloader reloader, String base) {}

    private Running start(Path file) throws Exception {
        vertx = Vertx.vertx();
        ProviderRegistry registry = ProviderRegistry.standard();
        ConfigLoader loader = new ConfigLoader(registry, name -> null);
        GatewayConfig config = loader.load(file);
        AtomicReference<Gateway> ref = new AtomicReference<>();
        ConfigReloader reloader = new ConfigReloader(vertx, ref::get, loader, file);
        Gateway g = Gateway.start(vertx, config, registry, name -> null, 1, o -> { },
                new Gateway.Extensions(List.of(new ConfigApi(reloader)))).await(10, TimeUnit.SECONDS);
        ref.set(g);
        return new Running(g, reloader, "http://127.0.0.1:" + g.port());
    }

    private HttpResponse<String> chat(String base, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("authorization", "Bearer client-secret")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void validChangeTakesEffectAndInvalidOneIsRejectedWhileTheOldKeepsServing() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), BASE);
        Running r = start(file);
        assertThat(chat(r.base(), "two").statusCode()).isEqualTo(404);

        Files.writeString(file, BASE + "  two: { targets: [a/m2] }\n");
        ConfigControl.ReloadOutcome ok = r.reloader().reload().await(10, TimeUnit.SECONDS);
        assertThat(ok.applied()).isTrue();
        HttpResponse<String> two = chat(r.base(), "two");
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.headers().firstValue("x-switchyard-model")).contains("m2");

        Files.writeString(file, BASE + "  three: { targets: [nowhere/m3] }\n");
        ConfigControl.ReloadOutcome bad = r.reloader().reload().await(10, TimeUnit.SECONDS);
        assertThat(bad.applied()).isFalse();
        assertThat(bad.problems()).containsExactly("models.three.targets[0]: unknown provider 'nowhere' (declared: a)");
        assertThat(chat(r.base(), "two").statusCode()).as("old config still serves").isEqualTo(200);
        assertThat(r.reloader().rejectedCount()).isEqualTo(1);
    }

    @Test
    void adminEndpointReloadsAndShowsTheConfigWithSecretsRedacted() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), BASE);
        Running r = start(file);
        Files.writeString(file, BASE + "  two: { targets: [a/m2] }\n");
        HttpResponse<String> reload = http.send(HttpRequest.newBuilder(URI.create(r.base() + "/admin/config/reload"))
                .header("authorization", "Bearer admin-secret").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).contains("\"applied\":true");

        HttpResponse<String> asClient = http.send(HttpRequest.newBuilder(URI.create(r.base() + "/admin/config"))
                .header("authorization", "Bearer client-secret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asClient.statusCode()).as("a client key is not an admin key").isEqualTo(401);

        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(URI.create(r.base() + "/admin/config"))
                .header("authorization", "Bearer admin-secret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("\"two\"").contains("<redacted:inline>")
                .doesNotContain("admin-secret").doesNotContain("client-secret");
    }

    @Test
    void noRequestFailsWhileTheConfigIsReloadedUnderLoad() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), BASE);
        Running r = start(file);
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 20; i++) {
                inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(r.base() + "/v1/chat/completions"))
                        .header("authorization", "Bearer client-secret")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"one\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // alternate between two valid configs that both serve "one", one of them changing its provider
            String provider = round % 2 == 0 ? "first_token: 2ms" : "first_token: 1ms";
            Files.writeString(file, BASE.replace("first_token: 1ms", provider));
            assertThat(r.reloader().reload().await(10, TimeUnit.SECONDS).applied()).isTrue();
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(r.reloader().appliedCount()).isEqualTo(10);
    }
}
