package dev.switchyard.app;

import static dev.switchyard.app.OperatorsHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Per-key RPM/TPM limits and their OpenAI headers, and per-target caps, through a running gateway. */
class RateLimitsEndToEndTest extends OperatorsTestBase {
    private static final String ROUTES = """
            providers:
              capped: { type: simulated, limits: { rpm: 1 }, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
              spare: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
            models:
              chat: { targets: [capped/m, spare/m] }
              only-capped: { targets: [capped/solo] }
              free: { targets: [spare/m] }
            """;


    private String key(String limits) throws Exception {
        return h.secret(h.adminOk("POST", "/admin/keys", "{\"name\":\"limited\",\"limits\":" + limits + "}").path("key").asText());
    }

    @Test
    void requestsPerMinuteWithHeadersOnEveryResponseThenA429WithRetryAfter() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String k = key("{\"rpm\":2}");
        HttpResponse<String> first = h.chat(k, "free", null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).contains("30s");
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).as("no TPM limit, no token headers").isEmpty();
        HttpResponse<String> second = h.chat(k, "free", "\"stream\":true");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).as("streams too").contains("0");
        HttpResponse<String> third = h.chat(k, "free", null);
        assertThat(third.statusCode()).isEqualTo(429);
        JsonNode e = JSON.readTree(third.body()).path("error");
        assertThat(e.path("type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(e.path("message").asText()).contains("requests per minute (2)");
        assertThat(third.headers().firstValue("retry-after")).contains("30");
        assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(h.chat(OperatorsHarness.CLIENT, "free", null).statusCode()).as("other keys are not affected").isEqualTo(200);
    }

    @Test
    void tokensPerMinuteAreEstimatedFromTheBodyAndReported() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String k = key("{\"tpm\":100}");
        String big = "\"user\":\"" + "x".repeat(600) + "\"";
        HttpResponse<String> first = h.chat(k, "free", big);
        assertThat(first.statusCode()).as("a request over the capacity passes from a full bucket").isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("100");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).contains("0");
        // the bucket went below zero: full again only after more than a minute
        assertThat(first.headers().firstValue("x-ratelimit-reset-tokens").orElse("")).matches("1m[0-9]+s");
        HttpResponse<String> second = h.chat(k, "free", null);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("tokens per minute (100)");
        assertThat(second.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void aCappedTargetIsSkippedLikeACoolingOne() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        HttpResponse<String> first = h.chat(OperatorsHarness.CLIENT, "chat", null);
        assertThat(first.headers().firstValue("x-switchyard-provider")).contains("capped");
        HttpResponse<String> second = h.chat(OperatorsHarness.CLIENT, "chat", null);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-switchyard-provider")).as("spread before the provider says 429").contains("spare");
        assertThat(second.headers().firstValue("x-switchyard-attempts").orElse("")).startsWith("capped/m:rate_capped:0ms, spare/m:200:");

        // the cap is per target: capped/solo has its own minute
        assertThat(h.chat(OperatorsHarness.CLIENT, "only-capped", null).statusCode()).isEqualTo(200);
        HttpResponse<String> none = h.chat(OperatorsHarness.CLIENT, "only-capped", null);
        assertThat(none.statusCode()).as("every target capped: 503, not a provider's 429").isEqualTo(503);
        long retry = Long.parseLong(none.headers().firstValue("retry-after").orElseThrow());
        assertThat(retry).isBetween(1L, 60L);
        assertThat(JSON.readTree(none.body()).path("error").path("message").asText()).contains("capped/solo → rate capped for");
    }
}
