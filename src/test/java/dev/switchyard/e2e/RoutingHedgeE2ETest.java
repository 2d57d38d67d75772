package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.resilience.TargetHealth;
import dev.switchyard.testkit.Eventually;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hedged requests: when the primary has no first token by the hedge delay, the next target starts beside it;
 * the first to produce a token wins, the other is cancelled, and both show in the attempts.
 */
class RoutingHedgeE2ETest extends RoutingSupport {
    private static final String HEDGED = "  h:\n    targets: [pa/model-a, pb/model-b, pc/model-c]\n    hedge: { after: 20ms }\n";

    /** A stream that sends its role chunk, then holds its first token until {@code gate} completes. */
    private static Reply held(CompletableFuture<Void> gate, String... pieces) {
        return Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), r.includeUsage(), pieces)).pauseBefore(1, gate));
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {true, false})
    void theHedgeWinsWhenThePrimaryIsSlowAndThePrimaryIsCancelled(boolean stream) throws Exception {
        gateway(HEDGED, "");
        a.enqueue(Reply.hang());
        b.enqueue(Reply.text("hedge", " won"));

        Seen r = send(body("h", stream));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hedge won");
        assertThat(r.models()).allMatch("model-b"::equals);
        assertThat(r.header("x-switchyard-provider")).isEqualTo("pb");
        assertThat(r.header("x-switchyard-attempts")).matches("pb/model-b:200\\(hedge\\):\\d+ms, pa/model-a:hedge_lost:\\d+ms");
        a.request(0).get().clientGone().get(10, TimeUnit.SECONDS); // the loser is hung up on
        assertThat(c.requestCount()).isZero();
        assertThat(r.outcome().target()).isEqualTo("pb/model-b");
        assertThat(r.attempts()).containsExactly("pb/model-b:200(hedge)", "pa/model-a:hedge_lost");
        TargetHealth.Snapshot pa = gw.health("pa/model-a");
        assertThat(pa.consecutiveFailures()).as("losing a race is not a failure").isZero();
        assertThat(pa.inFlight()).isZero();
    }

    @Test
    void thePrimaryWinsWhenItsFirstTokenComesFirstAndTheHedgeIsCancelled() throws Exception {
        gateway(HEDGED, "");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(held(gate, "primary", " won"));
        b.enqueue(Reply.hang());

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", body("h", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "hedge-primary");
        b.request(0).get(10, TimeUnit.SECONDS); // the hedge has started
        gate.complete(null);
        HttpResponse<byte[]> r = call.get(10, TimeUnit.SECONDS);

        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("primary").endsWith("data: [DONE]\n\n");
        assertThat(r.headers().firstValue("x-switchyard-attempts").orElseThrow())
                .matches("pa/model-a:200:\\d+ms, pb/model-b:hedge_lost\\(hedge\\):\\d+ms");
        b.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        assertThat(gw.outcome("hedge-primary").get(10, TimeUnit.SECONDS).target()).isEqualTo("pa/model-a");
        assertThat(gw.health("pb/model-b").consecutiveFailures()).isZero();
    }

    @Test
    void aFailedHedgeLeavesThePrimaryToWinAndStartsNoThirdAttempt() throws Exception {
        gateway(HEDGED, "");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(held(gate, "primary", " still won"));
        b.enqueue(Reply.error(500, "server_error", null, "hedge broke"));

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", body("h", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "hedge-failed");
        Eventually.await("the gateway has recorded the hedge's failure", () -> b.requestCount() == 1
                && gw.gateway().health().all().stream().anyMatch(h -> h.target().equals("pb/model-b") && h.snapshot().consecutiveFailures() == 1));
        gate.complete(null);
        HttpResponse<byte[]> r = call.get(10, TimeUnit.SECONDS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("still won").endsWith("data: [DONE]\n\n");
        assertThat(r.headers().firstValue("x-switchyard-attempts").orElseThrow())
                .matches("pb/model-b:500\\(hedge\\):\\d+ms, pa/model-a:200:\\d+ms");
        assertThat(c.requestCount()).as("the primary was still running: no third attempt").isZero();
        assertThat(gw.outcome("hedge-failed").get(10, TimeUnit.SECONDS).target()).isEqualTo("pa/model-a");
    }

    @Test
    void whenThePrimaryFailsWhileTheHedgeRunsTheHedgeAnswers() throws Exception {
        gateway(HEDGED, "");
        CompletableFuture<Void> hedgeGate = new CompletableFuture<>();
        CompletableFuture<Void> primaryGate = new CompletableFuture<>();
        a.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), true, "never")).pauseBefore(1, primaryGate).dropAfter(1)));
        b.enqueue(held(hedgeGate, "hedge", " answered"));

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", body("h", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json");
        b.request(0).get(10, TimeUnit.SECONDS);
        primaryGate.complete(null); // pa drops its connection before any token
        Eventually.await("the gateway has recorded the primary's failure", () -> gw.gateway().health().all().stream()
                .anyMatch(h -> h.target().equals("pa/model-a") && h.snapshot().consecutiveFailures() == 1));
        hedgeGate.complete(null);
        HttpResponse<byte[]> r = call.get(10, TimeUnit.SECONDS);

        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("answered").endsWith("data: [DONE]\n\n");
        assertThat(r.headers().firstValue("x-switchyard-attempts").orElseThrow())
                .matches("pa/model-a:dropped:\\d+ms, pb/model-b:200\\(hedge\\):\\d+ms");
        assertThat(c.requestCount()).isZero();
    }

    @Test
    void aClientLeavingDuringAHedgeCancelsBothAttempts() throws Exception {
        gateway(HEDGED, "");
        a.enqueue(Reply.hang());
        b.enqueue(Reply.hang());

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", body("h", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "hedge-gone");
        b.request(0).get(10, TimeUnit.SECONDS); // primary and hedge both running
        call.cancel(true);

        a.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        b.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        ExchangeOutcome o = gw.outcome("hedge-gone").get(10, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(499);
        assertThat(attemptsOf(o)).containsExactly("pa/model-a:client_closed", "pb/model-b:client_closed(hedge)");
        assertThat(c.requestCount()).isZero();
        assertThat(gw.health("pa/model-a").inFlight() + gw.health("pb/model-b").inFlight()).isZero();
    }

    @Test
    void p95HedgingWaitsForHistoryThenHedgesAtThePrimarysP95() throws Exception {
        gateway("  h:\n    targets: [pa/model-a, pb/model-b]\n    hedge: { after: p95 }\n", "");
        b.always(Reply.text("from b"));

        // no history: however slow pa is, nothing is hedged
        a.enqueue(Reply.after(Duration.ofMillis(300), Reply.text("slow but alone")));
        assertThat(send(body("h", true)).attempts()).containsExactly("pa/model-a:200");
        assertThat(b.requestCount()).isZero();

        // twenty more known times to first token of 5ms each: p95 of the 21 = 5ms
        TargetHealth pa = gw.gateway().health().of("pa/model-a", 0);
        for (int i = 0; i < 20; i++) {
            assertThat(pa.tryAcquire()).isTrue();
            pa.onSuccess(5_000_000, 6_000_000);
        }
        a.enqueue(Reply.hang());
        Seen hedged = send(body("h", true));
        assertThat(hedged.attempts()).containsExactly("pb/model-b:200(hedge)", "pa/model-a:hedge_lost");
        assertThat(hedged.text()).isEqualTo("from b");
    }

    @Test
    void aStreamThatCommittedBeforeTheHedgeDelayStartsNoHedgeAfterIt() {
        gateway("  h:\n    targets: [pa/model-a, pb/model-b]\n    hedge: { after: 1s }\n", "");
        // the first token comes at once; the rest trickles in well past the hedge delay
        a.enqueue(Reply.sse(OpenAiBodies.textChunks("model-a", true, "quick", " then", " slow")).pauseBefore(2,
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(1200, TimeUnit.MILLISECONDS))));

        Seen r = send(body("h", true));

        assertThat(r.text()).isEqualTo("quick then slow");
        assertThat(r.attempts()).containsExactly("pa/model-a:200");
        assertThat(b.requestCount()).as("a committed stream is never hedged").isZero();
    }
}
