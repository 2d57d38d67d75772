package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.routing.Target;
import dev.switchyard.testkit.FakeClock;
import dev.switchyard.testkit.GatewayHarness;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Three mock OpenAI upstreams ({@code pa}, {@code pb}, {@code pc}) and a provider {@code pz} whose port
 * refuses connections, behind a real gateway whose breakers and cooldowns run on a {@link FakeClock}. Each
 * test writes its own {@code models:} and {@code routing:} sections; providers get {@link #RELAXED} timeouts
 * unless a test sets {@link #timeouts}. Requests go through {@link RawClient}, so the tests see the exact bytes.
 */
@Timeout(60)
abstract class RoutingSupport {
    static final String KEY = "sk-routing-client";
    static final String ADMIN = "sk-routing-admin";
    /** Nothing in a passing test comes near these. */
    static final String RELAXED = "{ first_token: 10s, idle: 10s, total: 30s }";
    private static final ObjectMapper M = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final AtomicBoolean WARM = new AtomicBoolean();

    Vertx vertx;
    MockUpstream a;
    MockUpstream b;
    MockUpstream c;
    int deadPort;
    final FakeClock clock = new FakeClock();
    GatewayHarness gw;
    RawClient raw;

    /** Per-provider timeouts (YAML flow maps) for the next {@link #gateway} call. */
    final Map<String, String> timeouts = new HashMap<>();
    /** Extra per-provider YAML lines (e.g. {@code max_concurrency: 1}) for the next {@link #gateway} call. */
    final Map<String, String> providerExtra = new HashMap<>();
    /** The breakers' clock: {@link #clock} unless a test needs real time to pass (waiting for a recovery). */
    LongSupplier healthClock = clock;
    ToLongFunction<Target> contextWindows = t -> 0;
    ToDoubleFunction<Target> prices = t -> Double.NaN;

    @BeforeEach
    void startUpstreams() {
        vertx = Vertx.vertx();
        a = MockUpstream.start(vertx);
        b = MockUpstream.start(vertx);
        c = MockUpstream.start(vertx);
        // a port that was free a moment ago and has nothing listening now: connections are refused
        HttpServer s = vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1").await();
        deadPort = s.actualPort();
        s.close().await();
        warmUpOnce();
    }

    /**
     * The first exchange in a JVM spends a second or more loading classes. Tests with timers of a hundred
     * milliseconds must not measure that, so the first test of a run sends a few exchanges through a
     * throwaway gateway first.
     */
    private void warmUpOnce() {
        if (!WARM.compareAndSet(false, true)) return;
        gateway();
        a.always(Reply.text("warm", "up"));
        for (int i = 0; i < 3; i++) {
            chat(true);
            chat(false);
        }
        a.reset();
        b.reset();
        c.reset();
        raw.close();
        gw.close();
        raw = null;
        gw = null;
    }

    @AfterEach
    void stopAll() {
        if (raw != null) raw.close();
        if (gw != null) gw.close();
        a.close();
        b.close();
        c.close();
        vertx.close().await();
    }

    /**
     * @param models  the {@code models:} section's body, indented by two spaces
     * @param routing the {@code routing:} section's body, indented by two spaces (may be empty)
     */
    GatewayHarness gateway(String models, String routing) {
        StringBuilder y = new StringBuilder("""
                auth:
                  admin_key: env:ADMIN_KEY
                  keys:
                    - name: routing
                      key: env:CLIENT_KEY
                providers:
                """);
        for (String p : List.of("pa", "pb", "pc", "pz")) {
            y.append("  ").append(p).append(":\n    type: openai\n    base_url: env:").append(p.toUpperCase()).append("_URL\n")
                    .append("    api_key: sk-upstream-").append(p).append('\n')
                    .append("    timeouts: ").append(timeouts.getOrDefault(p, RELAXED)).append('\n');
            if (providerExtra.containsKey(p)) y.append("    ").append(providerExtra.get(p)).append('\n');
        }
        y.append("models:\n").append(models.stripTrailing()).append('\n');
        if (!routing.isBlank()) y.append("routing:\n").append(routing.stripTrailing()).append('\n');
        gw = GatewayHarness.start(y.toString(), Map.of("CLIENT_KEY", KEY, "ADMIN_KEY", ADMIN, "PA_URL", a.baseUrl(),
                "PB_URL", b.baseUrl(), "PC_URL", c.baseUrl(), "PZ_URL", "http://127.0.0.1:" + deadPort + "/v1"),
                GatewayHarness.RoutingHooks.NONE.clock(healthClock).contextWindows(contextWindows).prices(prices));
        raw = new RawClient(gw.baseUrl());
        return gw;
    }

    /** {@code chat} = pa then pb; the common case. */
    GatewayHarness gateway() {
        return gateway("  chat:\n    targets: [pa/model-a, pb/model-b]\n", "");
    }

    static String body(String model, boolean stream) {
        return body(model, stream, "");
    }

    /** @param extra more members, starting with a comma, e.g. {@code ,"models":["x"]} */
    static String body(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (stream ? ",\"stream\":true" : "") + extra + "}";
    }

    static String newId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    /** One exchange as the client saw it, streamed or not, and what the gateway recorded for it. */
    record Seen(String requestId, int status, HttpHeaders headers, String body, ExchangeOutcome outcome) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        boolean isStream() {
            return header("content-type") != null && header("content-type").startsWith("text/event-stream");
        }

        /** The SSE frames' data, without {@code data: }. */
        List<String> events() {
            List<String> out = new ArrayList<>();
            for (String f : body.split("\n\n")) {
                if (f.isBlank()) continue;
                assertThat(f).as("every frame is a data line").startsWith("data: ");
                out.add(f.substring("data: ".length()));
            }
            return out;
        }

        boolean endsWithDone() {
            return body.endsWith("data: [DONE]\n\n");
        }

        /** The {@code error} object of a JSON error body or of a stream's final error event, else null. */
        JsonNode error() {
            if (!isStream()) return json(body).get("error");
            List<String> ev = events();
            if (ev.isEmpty() || ev.get(ev.size() - 1).equals("[DONE]")) return null;
            return json(ev.get(ev.size() - 1)).get("error");
        }

        /** The answer's text: a completion's message, or a stream's content deltas joined. */
        String text() {
            if (!isStream()) return json(body).at("/choices/0/message/content").asText();
            StringBuilder t = new StringBuilder();
            for (String e : events()) {
                if (e.equals("[DONE]")) continue;
                JsonNode n = json(e);
                if (n.has("error")) continue;
                for (JsonNode ch : n.path("choices")) t.append(ch.path("delta").path("content").asText(""));
            }
            return t.toString();
        }

        /** The {@code model} of every chunk (streams) or of the completion. */
        List<String> models() {
            if (!isStream()) return List.of(json(body).path("model").asText());
            List<String> out = new ArrayList<>();
            for (String e : events()) {
                if (e.equals("[DONE]")) continue;
                JsonNode n = json(e);
                if (!n.has("error")) out.add(n.path("model").asText());
            }
            return out;
        }

        /** As a {@link RawClient.Response}, for the test kit's error assertions. */
        RawClient.Response response() {
            return new RawClient.Response(status, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The recorded attempts as {@code target:outcome}. */
        List<String> attempts() {
            return attemptsOf(outcome);
        }
    }

    static List<String> attemptsOf(ExchangeOutcome o) {
        List<String> out = new ArrayList<>();
        for (AttemptLog.Attempt at : o.attempts().attempts()) out.add(at.target() + ":" + at.outcome());
        return out;
    }

    /** Sends a chat request and reads the whole response (a stream to its end), then waits for its outcome. */
    Seen send(String body) {
        String id = newId("r");
        RawClient.Response r = raw.post("/v1/chat/completions", body, "authorization", "Bearer " + KEY,
                "content-type", "application/json", "x-request-id", id);
        ExchangeOutcome o;
        try {
            o = gw.outcome(id).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome recorded for " + id, e);
        }
        return new Seen(id, r.status(), r.headers(), r.text(), o);
    }

    Seen chat(boolean stream) {
        return send(body("chat", stream));
    }

    /** {@code GET /admin/targets} with the admin key: the entry of one target. */
    JsonNode adminTarget(String target) {
        RawClient.Response r = raw.get("/admin/targets", "authorization", "Bearer " + ADMIN);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (JsonNode t : r.json().path("targets")) if (t.path("target").asText().equals(target)) return t;
        throw new AssertionError(target + " is not in " + r.text());
    }

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }
}
