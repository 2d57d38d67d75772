package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.provider.SseFramer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI front against simulated providers: authentication, request errors and the splice paths. */
class FrontTest {
    private static final ObjectMapper M = new ObjectMapper();
    static Vertx vertx;
    static GatewayHarness g;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        g = GatewayHarness.start(vertx, ProviderRegistry.standard(), """
                auth:
                  admin_key: adm-key
                  keys:
                    - {name: all, key: %s}
                    - {name: narrow, key: sk-narrow, models: ["chat"]}
                providers:
                  sim: {type: simulated, simulate: {first_token: 1ms, tokens_per_second: 0, output_tokens: 3}}
                models:
                  chat: {targets: [sim/small]}
                  other: {targets: [sim/large]}
                server: {host: 127.0.0.1, port: 0, max_body_bytes: 2KiB}
                """.formatted(GatewayHarness.KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        g.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static JsonNode error(GatewayHarness.Reply r) throws Exception {
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        return M.readTree(r.body()).get("error");
    }

    @Test
    void authentication() throws Exception {
        for (String auth : new String[] {null, "Bearer sk-wrong", "Bearer adm-key", "Basic sk-test-client"}) {
            GatewayHarness.Reply r = g.send(HttpMethod.POST, "/v1/chat/completions", CHAT, auth);
            assertThat(r.status()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(error(r).get("code").asText()).isEqualTo("invalid_api_key");
        }
        assertThat(g.send(HttpMethod.POST, "/v1/chat/completions", CHAT, null, "api-key", GatewayHarness.KEY).status()).isEqualTo(200);
        assertThat(g.send(HttpMethod.POST, "/v1/chat/completions", CHAT, "bearer " + GatewayHarness.KEY).status()).isEqualTo(200);
        assertThat(g.send(HttpMethod.GET, "/v1/models", null, null).status()).isEqualTo(401);
    }

    @Test
    void modelPermissions() throws Exception {
        GatewayHarness.Reply ok = g.send(HttpMethod.POST, "/v1/chat/completions", CHAT, "Bearer sk-narrow");
        assertThat(ok.status()).isEqualTo(200);
        GatewayHarness.Reply denied = g.send(HttpMethod.POST, "/v1/chat/completions", CHAT.replace("\"chat\"", "\"other\""), "Bearer sk-narrow");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(error(denied).get("param").asText()).isEqualTo("model");
        GatewayHarness.Reply viaModels = g.send(HttpMethod.POST, "/v1/chat/completions",
                CHAT.replace("{", "{\"models\":[\"chat\",\"other\"],"), "Bearer sk-narrow");
        assertThat(viaModels.status()).isEqualTo(403);
        assertThat(error(viaModels).get("param").asText()).isEqualTo("models");
    }

    @Test
    void requestErrors() throws Exception {
        GatewayHarness.Reply bad = g.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\"}],\"temperature\":\"hot\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(error(bad).get("param").asText()).isEqualTo("temperature");
        GatewayHarness.Reply unknown = g.post("/v1/chat/completions", CHAT.replace("\"chat\"", "\"nope\""));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(error(unknown).get("code").asText()).isEqualTo("model_not_found");
        GatewayHarness.Reply big = g.post("/v1/chat/completions", CHAT.replace("hi", "x".repeat(4096)));
        assertThat(big.status()).isEqualTo(413);
        assertThat(error(big).get("code").asText()).isEqualTo("request_too_large");
        GatewayHarness.Reply url = g.post("/v1/completions", CHAT);
        assertThat(url.status()).isEqualTo(404);
        assertThat(error(url).get("code").asText()).isEqualTo("unknown_url");
    }

    @Test
    void requestIdIsEchoedOrMinted() throws Exception {
        GatewayHarness.Reply given = g.send(HttpMethod.POST, "/v1/chat/completions", CHAT, "Bearer " + GatewayHarness.KEY,
                "x-request-id", "trace-123");
        assertThat(given.headers().get("x-switchyard-request-id")).isEqualTo("trace-123");
        GatewayHarness.Reply minted = g.post("/v1/chat/completions", CHAT.replace("\"chat\"", "\"nope\""));
        assertThat(minted.headers().get("x-switchyard-request-id")).matches("req_[0-9a-f]{28}");
    }

    private static List<String> sse(String body) {
        List<String> out = new ArrayList<>();
        SseFramer f = new SseFramer(e -> out.add(e.data().toString()));
        f.feed(Buffer.buffer(body));
        f.end();
        return out;
    }

    /** Bodies that exercise the byte splice end to end: a leading "models" member, a null stream_options. */
    @Test
    void streamingSplicesReachTheUpstreamIntact() throws Exception {
        for (String body : List.of(
                "{\"models\":[\"chat\"],\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"chat\",\"stream\":true,\"stream_options\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            GatewayHarness.Reply r = g.post("/v1/chat/completions", body);
            assertThat(r.status()).as(body).isEqualTo(200);
            assertThat(r.headers().get("content-type")).isEqualTo("text/event-stream");
            assertThat(r.headers().get("x-switchyard-provider")).isEqualTo("sim");
            List<String> events = sse(r.body());
            assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
            boolean usageShown = events.stream().anyMatch(e -> e.contains("\"usage\""));
            assertThat(usageShown).as("usage only when the client asked: %s", body).isEqualTo(body.contains("include_usage"));
        }
    }

    @Test
    void modelsListing() throws Exception {
        GatewayHarness.Reply r = g.send(HttpMethod.GET, "/v1/models", null, "Bearer " + GatewayHarness.KEY);
        assertThat(r.status()).isEqualTo(200);
        JsonNode list = M.readTree(r.body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).contains("chat", "other");
        GatewayHarness.Reply one = g.send(HttpMethod.GET, "/v1/models/chat", null, "Bearer " + GatewayHarness.KEY);
        assertThat(M.readTree(one.body()).get("id").asText()).isEqualTo("chat");
        GatewayHarness.Reply none = g.send(HttpMethod.GET, "/v1/models/nope", null, "Bearer " + GatewayHarness.KEY);
        assertThat(none.status()).isEqualTo(404);
    }
}
