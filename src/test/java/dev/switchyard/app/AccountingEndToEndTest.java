package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.store.LedgerOptions;
import dev.switchyard.store.StoreUrl;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole accounting path through a running gateway: a loopback upstream speaking OpenAI's wire format
 * (usage with cached tokens; a stream that breaks after its usage chunk) and simulated providers; requests from
 * two keys; then the usage API must report exactly what was sent, priced from the bundled catalog.
 */
class AccountingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String USAGE = "{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":200}}";
    private static final String MINI_USAGE = "{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500}";

    @TempDir
    Path dir;

    private Vertx vertx;
    private HttpServer upstream;
    private Gateway gateway;
    private Accounting accounting;
    private final LinkedBlockingQueue<ExchangeOutcome> outcomes = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(this::fakeOpenAi).listen(0, "127.0.0.1").await();
        String yaml = """
                server: { host: 127.0.0.1, port: 0 }
                auth:
                  admin_key: admin-secret
                  keys:
                    - { name: team-a, key: sk-team-a }
                    - { name: team-b, key: sk-team-b }
                providers:
                  openai: { type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: upstream-key }
                  down: { type: simulated, simulate: { first_token: 1ms, failure_rate: 1, failure: status, failure_status: 503 } }
                  sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 7 } }
                models:
                  chat: { targets: [openai/gpt-4o] }
                  flaky: { targets: [down/sim-x, openai/gpt-4o] }
                  mini: { targets: [openai/gpt-4o-mini] }
                  sim: { targets: [sim/sim-model] }
                pricing:
                  overrides:
                    sim/sim-model: { input_per_mtok: 1, output_per_mtok: 2 }
                store:
                  url: sqlite:%s
                """.formatted(upstream.actualPort(), dir.resolve("ledger.db"));
        GatewayConfig config = new ConfigLoader(ProviderRegistry.standard(), k -> null).parse(yaml, "test");
        StoreUrl url = StoreUrl.parse(config.store().url());
        accounting = Accounting.open(config, LedgerOptions.defaults(url, config.store().retention()));
        gateway = Gateway.start(vertx, config, ProviderRegistry.standard(), k -> null, 1,
                        accounting.outcomes().andThen(outcomes::add),
                        new Gateway.Extensions(List.of(accounting.usageApi())), accounting.costQuote())
                .await(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) gateway.shutdown(Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
        if (accounting != null) accounting.close();
        if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** OpenAI's wire format; gpt-4o-mini streams break after their usage chunk, before [DONE]. */
    private void fakeOpenAi(HttpServerRequest req) {
        req.body().onSuccess(b -> {
            JsonNode body;
            try {
                body = JSON.readTree(b.getBytes());
            } catch (Exception e) {
                req.response().setStatusCode(400).end();
                return;
            }
            String model = body.path("model").asText();
            String usage = model.equals("gpt-4o-mini") ? MINI_USAGE : USAGE;
            if (!body.path("stream").asBoolean()) {
                req.response().putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                        + "\"created\":1,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"hello\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}");
                return;
            }
            String head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model + "\",";
            var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            resp.write(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
            resp.write(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"},\"finish_reason\":null}]}\n\n");
            if (model.equals("gpt-4o-mini")) {
                resp.write(head + "\"choices\":[],\"usage\":" + usage + "}\n\n").onComplete(v -> req.connection().close());
                return;
            }
            resp.write(head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            resp.write(head + "\"choices\":[],\"usage\":" + usage + "}\n\n");
            resp.end("data: [DONE]\n\n");
        });
    }

    private HttpResponse<String> chat(String key, String id, String model, boolean stream, boolean includeUsage) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"count the cost\"}]"
                + (stream ? ",\"stream\":true" : "") + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json").header("x-request-id", id)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery)).GET();
        if (key != null) r.header("authorization", "Bearer " + key);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode adminJson(String pathAndQuery) throws Exception {
        HttpResponse<String> r = admin(pathAndQuery, "admin-secret");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Simulated usage as the client saw it, priced with the override: input $1/Mtok, output $2/Mtok. */
    private static BigDecimal simCost(JsonNode usage) {
        return BigDecimal.valueOf(usage.path("prompt_tokens").asLong()).multiply(new BigDecimal("0.000001"))
                .add(BigDecimal.valueOf(usage.path("completion_tokens").asLong()).multiply(new BigDecimal("0.000002")));
    }

    @Test
    void everyRequestIsCostedRecordedAndReportedExactly() throws Exception {
        HttpResponse<String> a1 = chat("sk-team-a", "a1", "chat", false, false);
        assertThat(a1.statusCode()).isEqualTo(200);
        // 800×2.5e-6 + 200×1.25e-6 + 500×1e-5 (gpt-4o from the catalog, cached tokens at the cache price)
        assertThat(a1.headers().firstValue("x-switchyard-cost-usd")).hasValue("0.00725");

        HttpResponse<String> a2 = chat("sk-team-a", "a2", "chat", true, false);
        assertThat(a2.statusCode()).isEqualTo(200);
        assertThat(a2.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"usage\":{"); // usage asked for, then hidden
        assertThat(a2.headers().firstValue("x-switchyard-cost-usd")).isEmpty(); // not known before a stream's body

        HttpResponse<String> b1 = chat("sk-team-b", "b1", "flaky", false, false);
        assertThat(b1.statusCode()).isEqualTo(200);
        assertThat(b1.headers().firstValue("x-switchyard-attempts").orElseThrow()).startsWith("down/sim-x:503");
        assertThat(b1.headers().firstValue("x-switchyard-cost-usd")).hasValue("0.00725");

        HttpResponse<String> b2 = chat("sk-team-b", "b2", "mini", true, false);
        assertThat(b2.body()).contains("stream_broken").doesNotContain("[DONE]");

        HttpResponse<String> a3 = chat("sk-team-a", "a3", "sim", false, false);
        BigDecimal a3Cost = simCost(JSON.readTree(a3.body()).path("usage"));
        assertThat(new BigDecimal(a3.headers().firstValue("x-switchyard-cost-usd").orElseThrow())).isEqualByComparingTo(a3Cost);

        HttpResponse<String> a4 = chat("sk-team-a", "a4", "sim", true, true);
        JsonNode a4Usage = null;
        for (String line : a4.body().split("\n")) {
            if (line.startsWith("data: {") && line.contains("\"usage\":{")) a4Usage = JSON.readTree(line.substring(6)).path("usage");
        }
        assertThat(a4Usage).as("the client asked for stream usage").isNotNull();
        BigDecimal a4Cost = simCost(a4Usage);

        for (int i = 0; i < 6; i++) assertThat(outcomes.poll(10, TimeUnit.SECONDS)).as("outcome " + i).isNotNull();
        accounting.ledger().flush().get(10, TimeUnit.SECONDS);

        // one request, with every attempt
        JsonNode flaky = adminJson("/admin/requests/b1");
        assertThat(flaky.path("key").asText()).isEqualTo("team-b");
        assertThat(flaky.path("route").asText()).isEqualTo("flaky");
        assertThat(flaky.path("provider").asText()).isEqualTo("openai");
        assertThat(flaky.path("model").asText()).isEqualTo("gpt-4o");
        assertThat(flaky.path("cost_usd").decimalValue()).isEqualByComparingTo("0.00725");
        assertThat(flaky.path("catalog_version").asText()).isEqualTo("2026-07-24");
        assertThat(flaky.path("tokens").path("cached").asLong()).isEqualTo(200);
        assertThat(flaky.path("attempts")).hasSize(2);
        assertThat(flaky.path("attempts").get(0).path("provider").asText()).isEqualTo("down");
        assertThat(flaky.path("attempts").get(0).path("outcome").asText()).isEqualTo("503");
        assertThat(flaky.path("attempts").get(0).path("cost_usd").isNull()).isTrue();
        assertThat(flaky.path("attempts").get(1).path("outcome").asText()).isEqualTo("200");
        assertThat(flaky.path("attempts").get(1).path("tokens").path("input").asLong()).isEqualTo(1000);

        // the stream is costed exactly like the non-stream
        JsonNode stream = adminJson("/admin/requests/a2");
        assertThat(stream.path("stream").asBoolean()).isTrue();
        assertThat(stream.path("cost_usd").decimalValue()).isEqualByComparingTo("0.00725");
        assertThat(stream.path("ttft_ms").isNumber()).isTrue();

        // the broken stream still consumed tokens, and is billed for them: 1000×1.5e-7 + 500×6e-7
        JsonNode broken = adminJson("/admin/requests/b2");
        assertThat(broken.path("truncated").asBoolean()).isTrue();
        assertThat(broken.path("error_type").asText()).isEqualTo("stream_broken");
        assertThat(broken.path("cost_usd").decimalValue()).isEqualByComparingTo("0.00045");
        assertThat(broken.path("attempts").get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("0.00045");

        // spend per key
        Map<String, JsonNode> byKey = groups(adminJson("/admin/usage?group_by=key&from=2020-01-01"));
        assertThat(byKey.get("team-a").path("requests").asLong()).isEqualTo(4);
        assertThat(byKey.get("team-a").path("spend_usd").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.0145").add(a3Cost).add(a4Cost));
        assertThat(byKey.get("team-a").path("errors").asLong()).isZero();
        assertThat(byKey.get("team-b").path("requests").asLong()).isEqualTo(2);
        assertThat(byKey.get("team-b").path("spend_usd").decimalValue()).isEqualByComparingTo("0.0077");
        assertThat(byKey.get("team-b").path("error_rate").asDouble()).isEqualTo(0.5);

        // tokens and spend per provider
        Map<String, JsonNode> byProvider = groups(adminJson("/admin/usage?group_by=provider&from=2020-01-01"));
        JsonNode openai = byProvider.get("openai");
        assertThat(openai.path("requests").asLong()).isEqualTo(4);
        assertThat(openai.path("tokens").path("input").asLong()).isEqualTo(4000);
        assertThat(openai.path("tokens").path("cached").asLong()).isEqualTo(600);
        assertThat(openai.path("tokens").path("output").asLong()).isEqualTo(2000);
        assertThat(openai.path("spend_usd").decimalValue()).isEqualByComparingTo("0.0222"); // 3 × 0.00725 + 0.00045
        assertThat(openai.path("stream_requests").asLong()).isEqualTo(2);
        assertThat(openai.path("latency_ms").path("p99").isNumber()).isTrue();
        assertThat(byProvider.get("sim").path("spend_usd").decimalValue()).isEqualByComparingTo(a3Cost.add(a4Cost));

        // per route and hour
        JsonNode hourly = adminJson("/admin/usage?group_by=route&bucket=hour&from=2020-01-01");
        assertThat(hourly.path("bucket").asText()).isEqualTo("hour");
        long total = 0;
        for (JsonNode row : hourly.path("data")) {
            assertThat(row.path("bucket_start").asText()).endsWith(":00:00Z");
            total += row.path("requests").asLong();
        }
        assertThat(total).isEqualTo(6);

        // per target, per minute: failovers (b1 moved from down/sim-x) and the streams' TTFT percentiles
        Map<String, JsonNode> byTarget = groups(adminJson("/admin/usage?group_by=target&bucket=minute&from=2020-01-01"));
        assertThat(byTarget).containsKeys("openai/gpt-4o", "openai/gpt-4o-mini", "sim/sim-model");
        assertThat(byTarget.get("openai/gpt-4o").path("bucket_start").asText()).endsWith(":00Z");
        JsonNode overall = adminJson("/admin/usage?from=2020-01-01").path("data").get(0);
        assertThat(overall.path("failovers").asLong()).isEqualTo(1);
        assertThat(overall.path("ttft_ms").path("p50").isNumber()).isTrue();
        assertThat(overall.path("ttft_ms").path("p99").doubleValue())
                .isGreaterThanOrEqualTo(overall.path("ttft_ms").path("p50").doubleValue());
        assertThat(groups(adminJson("/admin/usage?group_by=key&from=2020-01-01")).get("team-b").path("failovers").asLong()).isEqualTo(1);

        // the request log, filtered
        JsonNode teamB = adminJson("/admin/requests?key=team-b");
        assertThat(teamB.path("data")).hasSize(2);
        assertThat(teamB.path("data").get(0).path("id").asText()).isEqualTo("b2"); // newest first
        assertThat(teamB.path("data").get(1).path("attempts").asInt()).isEqualTo(2);
        assertThat(adminJson("/admin/requests?status=error").path("data")).extracting(n -> n.path("id").asText()).containsExactly("b2");
        assertThat(adminJson("/admin/requests?model=sim&limit=1").path("data")).extracting(n -> n.path("id").asText())
                .containsExactly("a4");
        assertThat(adminJson("/admin/requests?provider=openai&status=200").path("data")).hasSize(4);
    }

    @Test
    void usageApiNeedsTheAdminKeyAndExplainsBadParameters() throws Exception {
        assertThat(admin("/admin/usage", null).statusCode()).isEqualTo(401);
        assertThat(admin("/admin/usage", "sk-team-a").statusCode()).isEqualTo(401); // a client key is not an admin key
        assertError(admin("/admin/usage?group_by=team", "admin-secret"), 400, "group_by");
        assertError(admin("/admin/usage?bucket=week", "admin-secret"), 400, "bucket");
        assertError(admin("/admin/usage?from=yesterday", "admin-secret"), 400, "from");
        assertError(admin("/admin/usage?from=2026-07-24&to=2026-07-23", "admin-secret"), 400, "from");
        assertError(admin("/admin/requests?limit=0", "admin-secret"), 400, "limit");
        assertError(admin("/admin/requests?status=teapot", "admin-secret"), 400, "status");
        assertError(admin("/admin/requests/no-such-request", "admin-secret"), 404, "id");
        JsonNode empty = adminJson("/admin/usage?group_by=model");
        assertThat(empty.path("data")).isEmpty();
        assertThat(empty.path("catalog_version").asText()).isEqualTo("2026-07-24");
    }

    private static void assertError(HttpResponse<String> r, int status, String param) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("param").asText()).isEqualTo(param);
        assertThat(e.path("message").asText()).isNotBlank();
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
    }

    private static Map<String, JsonNode> groups(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode row : report.path("data")) out.put(row.path("group").asText(), row);
        return out;
    }
}
