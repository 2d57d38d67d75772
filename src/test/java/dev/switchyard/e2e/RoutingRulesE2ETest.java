package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-route rules: same-target retries, strategies, a request's own {@code models} list, the overall
 * deadline, context-length and content-filter failover.
 */
class RoutingRulesE2ETest extends RoutingSupport {
    private static final String RETRYING = "  chat:\n    targets: [pa/model-a, pb/model-b]\n    retries: { attempts: 2, backoff: 1ms }\n";

    private static Reply.Json status(int s) {
        return Reply.error(s, s == 429 ? "rate_limit_error" : s >= 500 ? "server_error" : "invalid_request_error", null, "status " + s);
    }

    // ---- same-target retries ----

    @Test
    void transientErrorsAreRetriedOnTheSameTargetBeforeFailingOver() {
        gateway(RETRYING, "");
        a.enqueue(status(500), status(503), Reply.text("third time lucky"));
        Seen r = chat(false);
        assertThat(r.text()).isEqualTo("third time lucky");
        assertThat(r.attempts()).containsExactly("pa/model-a:500", "pa/model-a:503", "pa/model-a:200");
        assertThat(b.requestCount()).isZero();
        assertThat(gw.health("pa/model-a").consecutiveFailures()).as("the success resets the streak").isZero();
    }

    @Test
    void whenRetriesRunOutTheNextTargetAnswers() {
        gateway(RETRYING, "");
        a.enqueue(status(500), Reply.drop(), status(529));
        b.enqueue(Reply.text("from b"));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:500", "pa/model-a:dropped", "pa/model-a:529", "pb/model-b:200");
    }

    @Test
    void aStreamFailingBeforeItsFirstTokenIsRetriedToo() {
        gateway(RETRYING, "");
        a.enqueue(Reply.sse(OpenAiBodies.textChunks("model-a", true, "lost")).dropAfter(1), Reply.text("whole", " answer"));
        Seen r = chat(true);
        assertThat(r.text()).isEqualTo("whole answer");
        assertThat(r.endsWithDone()).isTrue();
        assertThat(r.attempts()).containsExactly("pa/model-a:dropped", "pa/model-a:200");
    }

    @Test
    void nonTransientFailuresAreNotRetried() {
        gateway(RETRYING, "");
        b.always(Reply.text("from b"));
        a.enqueue(status(429));
        assertThat(chat(false).attempts()).as("429: cool down and move on").containsExactly("pa/model-a:429", "pb/model-b:200");
        clock.advance(Duration.ofMinutes(1));
        a.enqueue(status(404));
        assertThat(chat(false).attempts()).as("404: wrong mapping, retrying cannot help").containsExactly("pa/model-a:404", "pb/model-b:200");
        a.enqueue(status(400));
        Seen bad = chat(false);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.attempts()).as("400: the client's to fix").containsExactly("pa/model-a:400");
        assertThat(a.requestCount()).isEqualTo(3);
    }

    // ---- strategies ----

    @Test
    void weightedSpreadsFirstPlaceByWeightAndWeightZeroIsOnlyAFallback() {
        gateway("""
                  w:
                    strategy: weighted
                    targets:
                      - { target: pa/model-a, weight: 3 }
                      - { target: pb/model-b, weight: 1 }
                      - { target: pc/model-c, weight: 0 }
                """, "");
        a.always(Reply.text("a"));
        b.always(Reply.text("b"));
        Map<String, Integer> first = new HashMap<>();
        int n = 200;
        for (int i = 0; i < n; i++) first.merge(send(body("w", false)).header("x-switchyard-provider"), 1, Integer::sum);
        assertThat(first.keySet()).containsOnly("pa", "pb");
        // 3:1 → 150 expected; the bounds are five standard deviations wide (6.1 each), so this never flakes
        assertThat(first.get("pa")).isBetween(120, 180);
        assertThat(c.requestCount()).isZero();

        a.always(status(500));
        b.always(status(500));
        c.always(Reply.text("c"));
        Seen fallback = send(body("w", false));
        assertThat(fallback.text()).isEqualTo("c");
        assertThat(fallback.attempts()).hasSize(3).last().isEqualTo("pc/model-c:200");
    }

    @Test
    void leastLatencyMeasuresUnknownTargetsFirstThenPrefersTheFaster() {
        gateway("  ll:\n    strategy: least-latency\n    targets: [pa/model-a, pb/model-b]\n", "");
        a.always(Reply.after(Duration.ofMillis(500), Reply.text("slow a")));
        b.always(Reply.text("fast b"));

        assertThat(send(body("ll", false)).attempts()).as("both unmeasured: configured order").containsExactly("pa/model-a:200");
        assertThat(send(body("ll", false)).attempts()).as("pb is still unmeasured: it goes first to be measured")
                .containsExactly("pb/model-b:200");
        for (int i = 0; i < 3; i++) assertThat(send(body("ll", true)).attempts()).containsExactly("pb/model-b:200");
        assertThat(a.requestCount()).isEqualTo(1);

        b.always(status(503));
        assertThat(send(body("ll", false)).attempts()).as("the order only decides who goes first")
                .containsExactly("pb/model-b:503", "pa/model-a:200");
    }

    @Test
    void lowestCostGoesCheapestFirstAndUnpricedLast() {
        prices = t -> switch (t.id()) {
            case "pa/model-a" -> 10.0;
            case "pb/model-b" -> 0.5;
            default -> Double.NaN;
        };
        gateway("  cheap:\n    strategy: lowest-cost\n    targets: [pc/model-c, pa/model-a, pb/model-b]\n", "");
        b.enqueue(Reply.text("cheapest"), status(500));
        a.enqueue(status(500));
        c.enqueue(Reply.text("unpriced"));

        assertThat(send(body("cheap", false)).attempts()).containsExactly("pb/model-b:200");
        assertThat(send(body("cheap", false)).attempts()).containsExactly("pb/model-b:500", "pa/model-a:500", "pc/model-c:200");
    }

    // ---- the request's own list ----

    @Test
    void aModelsListIsTriedInItsOwnOrderAndNeverSentUpstream() {
        gateway("  chat:\n    targets: [pa/model-a, pb/model-b]\n  other:\n    targets: [pc/model-c]\n", "  allow_direct: true\n");
        c.enqueue(status(500));
        a.enqueue(status(503));
        b.enqueue(Reply.text("from b"));

        Seen r = send(body("chat", true, ",\"models\":[\"other\",\"pa/model-a\",\"pb/model-b\"]"));

        assertThat(r.text()).isEqualTo("from b");
        assertThat(r.attempts()).containsExactly("pc/model-c:500", "pa/model-a:503", "pb/model-b:200");
        assertThat(c.onlyRequest().json().has("models")).isFalse();
        assertThat(b.onlyRequest().json().has("models")).isFalse();
        assertThat(r.outcome().publicModel()).isEqualTo("chat");
    }

    @Test
    void aProviderModelInTheListNeedsAllowDirect() {
        gateway("  chat:\n    targets: [pa/model-a]\n", "");
        RawClient.Response r = raw.post("/v1/chat/completions", body("chat", false, ",\"models\":[\"pb/model-b\"]"),
                "authorization", "Bearer " + KEY, "content-type", "application/json");
        JsonNode e = assertError(r, 404);
        assertThat(e.get("param").asText()).isEqualTo("models");
        assertThat(e.get("message").asText()).contains("allow_direct");
        assertThat(a.requestCount() + b.requestCount()).isZero();
    }

    // ---- deadline ----

    @Test
    void theDeadlineEndsAWaitForASlowTargetWith504() throws Exception {
        gateway("  chat:\n    targets: [pa/model-a, pb/model-b]\n    deadline: 150ms\n", "");
        a.enqueue(Reply.hang());

        Seen r = chat(false);

        JsonNode e = assertError(r.response(), 504);
        assertThat(e.get("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(e.get("message").asText()).contains("pa/model-a", "deadline");
        assertThat(r.attempts()).containsExactly("pa/model-a:timeout");
        assertThat(b.requestCount()).as("no time is left for pb").isZero();
        a.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        assertThat(r.outcome().status()).isEqualTo(504);
    }

    @Test
    void theDeadlineEndsAStreamThatStalledAfterItsFirstTokenWithAnErrorEvent() {
        gateway("  chat:\n    targets: [pa/model-a]\n    deadline: 500ms\n", "");
        a.enqueue(Reply.sse(OpenAiBodies.textChunks("model-a", true, "Hel", "lo")).hangAfter(2));

        Seen r = chat(true);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hel");
        assertThat(r.body()).doesNotContain("[DONE]");
        assertThat(r.error().get("code").asText()).isEqualTo("stream_timeout");
        assertThat(r.outcome().truncated()).isTrue();
    }

    // ---- context length ----

    @Test
    void aContextLengthErrorFailsOverOnlyToLargerWindows() {
        contextWindows = t -> switch (t.id()) {
            case "pa/model-a" -> 8_192;
            case "pb/model-b" -> 4_096;
            case "pc/model-c" -> 128_000;
            default -> 0;
        };
        gateway("  long:\n    targets: [pa/model-a, pb/model-b, pc/model-c]\n", "");
        a.enqueue(Reply.error(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."));
        c.enqueue(Reply.text("fits"));

        Seen r = send(body("long", true));

        assertThat(r.text()).isEqualTo("fits");
        assertThat(r.attempts()).containsExactly("pa/model-a:400", "pb/model-b:skipped_context", "pc/model-c:200");
        assertThat(b.requestCount()).isZero();
        assertThat(gw.health("pa/model-a").consecutiveFailures()).as("a long prompt says nothing about pa").isZero();
    }

    @Test
    void whenNoLargerWindowIsLeftTheClientGetsTheContextLengthError() {
        contextWindows = t -> t.id().equals("pa/model-a") ? 8_192 : 4_096;
        gateway("  long:\n    targets: [pa/model-a, pb/model-b]\n", "");
        String upstream = OpenAiBodies.error("invalid_request_error", "context_length_exceeded", "messages",
                "This model's maximum context length is 8192 tokens.");
        a.enqueue(Reply.status(400, upstream));

        Seen r = send(body("long", false));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r.body())).isEqualTo(json(upstream));
        assertThat(r.attempts()).containsExactly("pa/model-a:400", "pb/model-b:skipped_context");
    }

    @Test
    void withUnknownWindowsAContextLengthErrorStillTriesTheOthers() {
        gateway("  long:\n    targets: [pa/model-a, pb/model-b]\n", "");
        a.enqueue(Reply.error(400, "invalid_request_error", "context_length_exceeded", "too long for a"));
        b.enqueue(Reply.text("fits in b"));
        assertThat(send(body("long", false)).attempts()).containsExactly("pa/model-a:400", "pb/model-b:200");
    }

    // ---- content filter ----

    @Test
    void aContentRefusalFailsOverWhenTheRouteSaysSo() {
        gateway("  cf:\n    targets: [pa/model-a, pb/model-b]\n    on_content_filter: failover\n", "");
        a.enqueue(Reply.error(400, "invalid_request_error", "content_filter", "refused by a's policy"));
        b.enqueue(Reply.text("b answers"));

        Seen r = send(body("cf", true));

        assertThat(r.text()).isEqualTo("b answers");
        assertThat(r.attempts()).containsExactly("pa/model-a:400", "pb/model-b:200");
    }

    @Test
    void whenEveryTargetRefusesTheClientGetsTheRefusalNotA502() {
        gateway("  cf:\n    targets: [pa/model-a, pb/model-b]\n    on_content_filter: failover\n", "");
        a.enqueue(Reply.error(400, "invalid_request_error", "content_filter", "refused by a's policy"));
        b.enqueue(Reply.error(400, "invalid_request_error", "content_filter", "refused by b's policy"));

        Seen r = send(body("cf", false));

        JsonNode e = assertError(r.response(), 400);
        assertThat(e.get("code").asText()).isEqualTo("content_filter");
        assertThat(e.get("message").asText()).isEqualTo("refused by b's policy");
        assertThat(r.attempts()).containsExactly("pa/model-a:400", "pb/model-b:400");
    }

    @Test
    void aRefusalAmongOtherFailuresStillEndsIn502NamingEach() {
        gateway("  cf:\n    targets: [pa/model-a, pb/model-b]\n    on_content_filter: failover\n", "");
        a.enqueue(Reply.error(400, "invalid_request_error", "content_filter", "refused by a's policy"));
        b.enqueue(status(500));

        JsonNode e = assertError(send(body("cf", false)).response(), 502);
        assertThat(e.get("message").asText()).contains("refused by a's policy", "status 500");
    }
}
