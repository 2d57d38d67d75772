package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that leaves mid-stream: the request counts as 499 and the HTTP server sees the reset. */
class ClientDisconnectMetricsTest {
    static final String KEY = "sk-leaver";
    static final String YAML = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              keys: [{ name: app, key: %s }]
            providers:
              slow:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 5, output_tokens: 200 }
            models:
              chat: { targets: [slow/sim-slow] }
            """.formatted(KEY);

    @Test
    void aClientThatLeavesIsCountedAs499() throws Exception {
        try (ObservedGateway gw = ObservedGateway.start(YAML)) {
            HttpClientAgent client = gw.vertx.createHttpClient();
            HttpClientResponse resp = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                            .setPort(gw.gateway.port()).setURI("/v1/chat/completions")
                            .putHeader("authorization", "Bearer " + KEY).putHeader("content-type", "application/json"))
                    .compose(req -> req.send("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .await(10, TimeUnit.SECONDS);
            assertThat(resp.statusCode()).isEqualTo(200);
            resp.request().connection().close().await(10, TimeUnit.SECONDS);
            gw.awaitRecorded(1);

            PromText m = new PromText(gw.get("/metrics", null).body());
            assertThat(m.sum("switchyard_requests_total", "model", "chat", "provider", "slow", "status", "499")).isEqualTo(1);
            assertThat(m.sum("switchyard_attempts_total", "target", "slow/sim-slow", "outcome", "client_closed")).isEqualTo(1);
            assertThat(m.sum("http_server_request_duration_seconds_count", "http_route", "/v1/chat/completions",
                    "http_response_status_code", "499")).isEqualTo(1);
            assertThat(m.sum("http_server_active_requests")).isEqualTo(1); // only the scrape: nothing leaked
            client.close().await(5, TimeUnit.SECONDS);
        }
    }
}
