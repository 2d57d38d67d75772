package dev.switchyard.e2e;

import com.openai.client.OpenAIClient;
import dev.switchyard.testkit.GatewayHarness;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.RawClient;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Two mock OpenAI upstreams ({@code pa}, {@code pb}) behind a real gateway. Public models:
 * {@code chat} = pa/model-a then pb/model-b; {@code solo} = pa/model-a only; {@code embed} =
 * pa/embed-a then pb/embed-b. Direct {@code provider/model} addressing is on.
 */
@Timeout(60) // a broken gateway must fail a test, not hang the build
abstract class E2ESupport {
    static final String KEY = "sk-e2e-client";
    static final String PA_KEY = "sk-upstream-a";
    static final String PB_KEY = "sk-upstream-b";
    /** Generous timeouts: nothing in a passing test should come near them. */
    static final String RELAXED = "{ first_token: 10s, idle: 10s, total: 30s }";

    Vertx vertx;
    MockUpstream a;
    MockUpstream b;
    GatewayHarness gw;
    RawClient raw;

    @BeforeEach
    void startUpstreams() {
        vertx = Vertx.vertx();
        a = MockUpstream.start(vertx);
        b = MockUpstream.start(vertx);
    }

    @AfterEach
    void stopAll() {
        if (raw != null) raw.close();
        if (gw != null) gw.close();
        a.close();
        b.close();
        vertx.close().await();
    }

    /** Starts the gateway with relaxed timeouts on both upstreams. */
    GatewayHarness gateway() {
        return gateway(RELAXED, RELAXED);
    }

    /** @param paTimeouts / pbTimeouts YAML flow maps, e.g. {@code { total: 300ms }} */
    GatewayHarness gateway(String paTimeouts, String pbTimeouts) {
        String yaml = """
                server:
                  max_body_bytes: 4KiB
                auth:
                  keys:
                    - name: e2e
                      key: env:CLIENT_KEY
                providers:
                  pa:
                    type: openai
                    base_url: env:PA_URL
                    api_key: env:PA_KEY
                    timeouts: %s
                  pb:
                    type: openai
                    base_url: env:PB_URL
                    api_key: env:PB_KEY
                    timeouts: %s
                models:
                  chat:
                    targets: [pa/model-a, pb/model-b]
                  solo:
                    targets: [pa/model-a]
                  embed:
                    targets: [pa/embed-a, pb/embed-b]
                routing:
                  allow_direct: true
                """.formatted(paTimeouts, pbTimeouts);
        gw = GatewayHarness.start(yaml, Map.of("CLIENT_KEY", KEY, "PA_URL", a.baseUrl(), "PA_KEY", PA_KEY,
                "PB_URL", b.baseUrl(), "PB_KEY", PB_KEY));
        raw = new RawClient(gw.baseUrl());
        return gw;
    }

    OpenAIClient sdk() {
        return gw.sdk(KEY);
    }

    /** A raw chat POST with the client key. */
    RawClient.Response post(String body, String... extraHeaders) {
        return raw.post("/v1/chat/completions", body, withAuth(extraHeaders));
    }

    static String[] withAuth(String... extra) {
        String[] h = new String[extra.length + 4];
        h[0] = "authorization";
        h[1] = "Bearer " + KEY;
        h[2] = "content-type";
        h[3] = "application/json";
        System.arraycopy(extra, 0, h, 4, extra.length);
        return h;
    }

    static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }
}
