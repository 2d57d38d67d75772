package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.accounting.metrics.GatewayMetrics;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known traffic through a real gateway with simulated providers, then {@code /metrics} scraped and parsed.
 * {@code flaky} fails exactly every second request with a 503 (the simulator's schedule is deterministic),
 * so four chat requests give two answers from flaky and two failovers to steady.
 */
class MetricsScrapeTest {
    static final String ADMIN = "test-admin-key";
    static final String KEY = "sk-test-client";
    static final String YAML = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              admin_key: %s
              keys:
                - { name: app, key: %s, models: ["*"] }
            providers:
              flaky:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 5, failure_rate: 0.5, failure: status, failure_status: 503 }
              steady:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 7 }
            models:
              chat:
                targets: [flaky/sim-large, steady/sim-medium]
              fast:
                targets: [steady/sim-small]
              embed:
                targets: [steady/sim-embed]
            routing: { allow_direct: true }
            """.formatted(ADMIN, KEY);
    static final ObjectMapper JSON = new ObjectMapper();

    static ObservedGateway gw;
    static PromText metrics;
    static long promptTokens;
    static long completionTokens;
    static long streamPromptTokens;
    static final AtomicReference<String> breaker = new AtomicReference<>("CLOSED");

    @BeforeAll
    static void traffic() throws Exception {
        gw = ObservedGateway.start(YAML);
        GatewayMetrics m = gw.observability.metrics();
        m.registerBreaker("flaky", "flaky/sim-large", breaker::get);
        AtomicInteger depth = new AtomicInteger(3);
        AtomicLong dropped = new AtomicLong(2);
        m.registerQueue("ledger", depth::get, 1024, dropped::get);
        breaker.set("half-open");

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = gw.post("/v1/chat/completions", KEY,
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello number " + i + "\"}]}");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode usage = JSON.readTree(r.body()).path("usage");
            promptTokens += usage.path("prompt_tokens").asLong();
            completionTokens += usage.path("completion_tokens").asLong();
        }
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, "{\"model\":\"fast\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(r.statusCode()).isEqualTo(200);
            for (String line : r.body().split("\n")) {
                if (!line.startsWith("data: {")) continue;
                JsonNode u = JSON.readTree(line.substring(6)).path("usage");
                if (u.isObject()) streamPromptTokens += u.path("prompt_tokens").asLong();
            }
        }
        assertThat(gw.post("/v1/embeddings", KEY, "{\"model\":\"embed\",\"input\":\"some words\"}").statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", KEY, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").statusCode()).isEqualTo(404);
        assertThat(gw.post("/v1/chat/completions", "sk-wrong", "{\"model\":\"chat\",\"messages\":[]}").statusCode()).isEqualTo(401);

        assertThat(gw.get("/v1/models/chat", KEY).statusCode()).isEqualTo(200);
        assertThat(gw.get("/nowhere", KEY).statusCode()).isEqualTo(404);
        gw.awaitRecorded(7);
        HttpResponse<String> scrape = gw.get("/metrics", ADMIN);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        metrics = new PromText(scrape.body());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
    }

    @Test
    void countsRequestsByModelProviderAndStatus() {
        assertThat(metrics.type("switchyard_requests_total")).isEqualTo("counter");
        assertThat(metrics.sum("switchyard_requests_total", "model", "chat", "provider", "flaky", "status", "200")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_requests_total", "model", "chat", "provider", "steady", "status", "200")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_requests_total", "model", "fast", "provider", "steady", "status", "200")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_requests_total", "model", "embed")).isEqualTo(1);
        // 404 and 401 never reached a route: no request series for them.
        assertThat(metrics.sum("switchyard_requests_total")).isEqualTo(7);
    }

    @Test
    void countsAttemptsFailoversAndNoRetries() {
        assertThat(metrics.sum("switchyard_attempts_total", "target", "flaky/sim-large", "outcome", "200")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_attempts_total", "target", "flaky/sim-large", "outcome", "503")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_attempts_total", "target", "steady/sim-medium", "outcome", "200")).isEqualTo(2);
        assertThat(metrics.sum("switchyard_failovers_total", "provider", "flaky", "target", "flaky/sim-large", "outcome", "503"))
                .isEqualTo(2);
        assertThat(metrics.find("switchyard_failovers_total", "target", "steady/sim-medium")).isEmpty();
        assertThat(metrics.find("switchyard_retries_total")).isEmpty();
    }

    @Test
    void countsTokensByTypeAsTheClientSawThem() {
        assertThat(promptTokens).isPositive();
        assertThat(metrics.sum("switchyard_tokens_total", "model", "chat", "type", "input")).isEqualTo(promptTokens);
        assertThat(metrics.sum("switchyard_tokens_total", "model", "chat", "type", "output")).isEqualTo(completionTokens);
        assertThat(completionTokens).isEqualTo(2 * 5 + 2 * 7);
        assertThat(metrics.sum("switchyard_tokens_total", "model", "fast", "type", "input")).isEqualTo(streamPromptTokens);
        assertThat(metrics.sum("switchyard_tokens_total", "model", "fast", "type", "output")).isEqualTo(2 * 7);
        assertThat(metrics.find("switchyard_tokens_total", "model", "chat", "provider", "flaky"))
                .extracting(s -> s.labels().get("type"))
                .containsExactlyInAnyOrder("input", "cached", "cache_write", "output", "reasoning");
        // gen_ai.client.token.usage: one observation per request and token type
        assertThat(metrics.type("gen_ai_client_token_usage")).isEqualTo("histogram");
        assertThat(metrics.sum("gen_ai_client_token_usage_count", "gen_ai_request_model", "chat", "gen_ai_token_type", "input"))
                .isEqualTo(4);
        assertThat(metrics.sum("gen_ai_client_token_usage_sum", "gen_ai_request_model", "chat", "gen_ai_token_type", "output"))
                .isEqualTo(completionTokens);
        assertThat(metrics.sum("gen_ai_client_token_usage_count", "gen_ai_operation_name", "embeddings")).isEqualTo(1);
        assertThat(metrics.find("gen_ai_client_token_usage_count", "gen_ai_token_type", "output", "gen_ai_operation_name", "embeddings")).isEmpty();
    }

    @Test
    void latencyAndTtftHistogramsFollowTheGenAiConventions() {
        assertThat(metrics.type("gen_ai_server_request_duration_seconds")).isEqualTo("histogram");
        assertThat(metrics.sum("gen_ai_server_request_duration_seconds_count")).isEqualTo(7);
        assertThat(metrics.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_operation_name", "chat",
                "gen_ai_system", "simulated", "gen_ai_request_model", "chat", "gen_ai_response_model", "sim-medium",
                "provider", "steady", "error_type", "")).isEqualTo(2);
        // the semantic convention's bucket boundaries, +Inf holding every observation
        assertThat(metrics.find("gen_ai_server_request_duration_seconds_bucket", "gen_ai_request_model", "fast"))
                .extracting(s -> s.labels().get("le")).contains("0.01", "0.64", "81.92", "+Inf");
        assertThat(metrics.sum("gen_ai_server_request_duration_seconds_bucket", "gen_ai_request_model", "fast", "le", "+Inf"))
                .isEqualTo(2);
        // TTFT only for streams
        assertThat(metrics.sum("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model", "fast")).isEqualTo(2);
        assertThat(metrics.find("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model", "chat")).isEmpty();
        assertThat(metrics.sum("switchyard_gateway_overhead_seconds_count")).isEqualTo(7);
    }

    @Test
    void exposesBreakerStatesAndQueueGauges() {
        assertThat(metrics.sum("switchyard_circuit_breaker_state", "target", "flaky/sim-large", "state", "half_open")).isEqualTo(1);
        assertThat(metrics.sum("switchyard_circuit_breaker_state", "target", "flaky/sim-large", "state", "closed")).isZero();
        assertThat(metrics.sum("switchyard_circuit_breaker_state", "target", "flaky/sim-large", "state", "open")).isZero();
        assertThat(metrics.sum("switchyard_queue_depth", "queue", "ledger")).isEqualTo(3);
        assertThat(metrics.sum("switchyard_queue_capacity", "queue", "ledger")).isEqualTo(1024);
        assertThat(metrics.sum("switchyard_queue_dropped_total", "queue", "ledger")).isEqualTo(2);
    }

    @Test
    void noCostSeriesWithoutACostSource() {
        assertThat(metrics.find("switchyard_cost_usd_total")).isEmpty();
        assertThat(metrics.find("switchyard_requests_unpriced_total")).isEmpty();
    }

    @Test
    void httpServerAndJvmMetrics() {
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "/v1/chat/completions",
                "http_request_method", "POST", "http_response_status_code", "200")).isEqualTo(6);
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "/v1/chat/completions",
                "http_response_status_code", "404")).isEqualTo(1);
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "/v1/chat/completions",
                "http_response_status_code", "401")).isEqualTo(1);
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "/v1/embeddings")).isEqualTo(1);
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "/v1/models/{model}",
                "http_request_method", "GET", "http_response_status_code", "200")).isEqualTo(1);
        assertThat(metrics.sum("http_server_request_duration_seconds_count", "http_route", "other",
                "http_response_status_code", "404")).isEqualTo(1);
        assertThat(metrics.sum("http_server_active_requests")).isEqualTo(1); // the scrape itself
        assertThat(metrics.find("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(metrics.find("jvm_threads_live_threads")).isNotEmpty();
        assertThat(metrics.find("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
        // read from the management beans at scrape time: real, growing numbers
        assertThat(metrics.sum("jvm_gc_memory_allocated_bytes_total")).isPositive();
        assertThat(metrics.find("jvm_gc_pause_seconds_count")).isNotEmpty();
        assertThat(metrics.find("jvm_gc_max_data_size_bytes")).isNotEmpty();
        assertThat(metrics.find("process_cpu_usage")).isNotEmpty();
    }
}
