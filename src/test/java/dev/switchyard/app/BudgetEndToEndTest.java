package dev.switchyard.app;

import static dev.switchyard.app.OperatorsHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.Reply;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets through a running gateway: streamed spend and billed failed attempts count; concurrent requests racing the
 * limit never overshoot it when each request's estimate covers its cost; spend survives a restart.
 */
class BudgetEndToEndTest extends OperatorsTestBase {
    private MockUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) upstream.close();
    }

    /**
     * {@code sim/sim-a}: every answer is 100 output tokens at $100 per million = $0.01, and prompts are free, so a
     * request with {@code max_tokens: 100} is estimated at exactly its cost. {@code openai/*} is the loopback mock:
     * 1000 output tokens at $10 per million = $0.01 per answer.
     */
    private void start() throws Exception {
        upstream = MockUpstream.start();
        upstream.otherwise(r -> {
            if (r.model().equals("gpt-broken")) {
                // consumes (and bills) 500 tokens, then fails before any content reached the client
                return Reply.sse(OpenAiBodies.textChunks("gpt-broken", true).get(0), OpenAiBodies.usageChunk("gpt-broken", 7, 500))
                        .errorAfter(2, OpenAiBodies.error("server_error", "overloaded", null, "try again"));
            }
            List<String> chunks = new ArrayList<>(OpenAiBodies.textChunks(r.model(), false, "hi"));
            if (r.stream()) {
                chunks.add(OpenAiBodies.usageChunk(r.model(), 7, 1000));
                return Reply.sse(chunks);
            }
            return Reply.json(OpenAiBodies.chatCompletion(r.model(), "hi").replaceAll("\"completion_tokens\":\\d+", "\"completion_tokens\":1000"));
        });
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, """
                providers:
                  sim: { type: simulated, simulate: { first_token: 150ms, tokens_per_second: 0, output_tokens: 100 } }
                  openai: { type: openai, base_url: "%s", api_key: upstream-5ecret-key }
                models:
                  chat: { targets: [sim/sim-a] }
                  stream: { targets: [openai/gpt-x] }
                  failover: { targets: [openai/gpt-broken, openai/gpt-x] }
                routing: { breaker: { consecutive_failures: 1000 } }
                pricing:
                  overrides:
                    sim/sim-a: { input_per_mtok: 0, output_per_mtok: 100 }
                    openai/gpt-x: { input_per_mtok: 0, output_per_mtok: 10 }
                    openai/gpt-broken: { input_per_mtok: 0, output_per_mtok: 10 }
                """.formatted(upstream.baseUrl())));
        h.secret("upstream-5ecret-key");
    }

    private JsonNode key(String budget) throws Exception {
        JsonNode k = h.adminOk("POST", "/admin/keys", "{\"name\":\"team\",\"budget\":" + budget + "}");
        h.secret(k.path("key").asText());
        return k;
    }

    private BigDecimal spent(String id, String field) throws Exception {
        return h.adminOk("GET", "/admin/keys/" + id, null).path("spend").path(field).decimalValue();
    }

    @Test
    void concurrentRequestsRacingTheLimitNeverOvershootIt() throws Exception {
        start();
        JsonNode k = key("{\"usd_total\":0.055}");
        String secret = k.path("key").asText();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(h.sendAsync("/v1/chat/completions", OperatorsHarness.chatBody("chat", "\"max_tokens\":100"), secret));
        }
        int ok = 0, refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
                assertThat(r.headers().firstValue("x-switchyard-cost-usd")).contains("0.01");
                continue;
            }
            refused++;
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("type").asText()).isEqualTo("insufficient_quota");
            assertThat(e.path("code").asText()).isEqualTo("insufficient_quota");
            assertThat(e.path("message").asText()).contains("key 'team'").contains("usd_total").contains("$0.055")
                    .contains("does not reset");
            assertThat(r.headers().firstValue("x-should-retry")).contains("false");
        }
        assertThat(ok).as("$0.055 buys five $0.01 requests, however they race").isEqualTo(5);
        assertThat(refused).isEqualTo(15);
        assertThat(spent(k.path("id").asText(), "total_usd")).isEqualByComparingTo("0.05");
        assertThat(spent(k.path("id").asText(), "reserved_usd")).as("every reservation released").isEqualByComparingTo("0");
    }

    @Test
    void streamedSpendCountsAndTheDailyBudgetSaysWhenItResets() throws Exception {
        start();
        JsonNode k = key("{\"usd_per_day\":0.025}");
        String secret = k.path("key").asText();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = h.chat(secret, "stream", "\"stream\":true");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("data: [DONE]");
        }
        assertThat(spent(k.path("id").asText(), "today_usd")).as("two streams at $0.01").isEqualByComparingTo("0.02");
        // $0.02 spent + an estimated $0.01024 (1024 output tokens when max_tokens is not set) would pass $0.025
        HttpResponse<String> third = h.chat(secret, "stream", "\"stream\":true");
        assertThat(third.statusCode()).isEqualTo(429);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        assertThat(JSON.readTree(third.body()).path("error").path("message").asText())
                .contains("daily budget (usd_per_day) is $0.025").contains("$0.02 is spent")
                .contains("The daily budget resets at " + tomorrow + ".");
        // a smaller request still fits
        assertThat(h.chat(secret, "stream", "\"stream\":true,\"max_tokens\":400").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedAttemptThatWasBilledCountsToo() throws Exception {
        start();
        JsonNode k = key("{\"usd_per_month\":1}");
        HttpResponse<String> r = h.chat(k.path("key").asText(), "failover", "\"stream\":true");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchyard-attempts").orElse("")).startsWith("openai/gpt-broken:");
        // 500 tokens on the broken attempt and 1000 on the answer, at $10 per million
        assertThat(spent(k.path("id").asText(), "this_month_usd")).isEqualByComparingTo("0.015");
    }

    @Test
    void spendSurvivesARestart() throws Exception {
        start();
        JsonNode k = key("{\"usd_total\":0.02}");
        String secret = k.path("key").asText();
        assertThat(h.chat(secret, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(200);
        assertThat(h.chat(secret, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(200);
        assertThat(h.chat(secret, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(429);
        h.restart(); // the ledger is written out on stop and read back at start
        assertThat(spent(k.path("id").asText(), "total_usd")).isEqualByComparingTo("0.02");
        assertThat(h.chat(secret, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(429);
        // raising the budget lets it through at once
        h.adminOk("PATCH", "/admin/keys/" + k.path("id").asText(), "{\"budget\":{\"usd_total\":0.03}}");
        assertThat(h.chat(secret, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(200);
    }

    @Test
    void staticKeysHaveBudgetsToo() throws Exception {
        upstream = MockUpstream.start();
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, """
                providers:
                  sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 100 } }
                models:
                  chat: { targets: [sim/sim-a] }
                pricing:
                  overrides:
                    sim/sim-a: { input_per_mtok: 0, output_per_mtok: 100 }
                """).replace("metadata: { team: core } }", "budget: { usd_total: 0.01 } }"));
        assertThat(h.chat(OperatorsHarness.CLIENT, "chat", "\"max_tokens\":100").statusCode()).isEqualTo(200);
        HttpResponse<String> r = h.chat(OperatorsHarness.CLIENT, "chat", "\"max_tokens\":100");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("insufficient_quota").contains("key 'static-app'");
    }
}
