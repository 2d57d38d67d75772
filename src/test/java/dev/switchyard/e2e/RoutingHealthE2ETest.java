package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.resilience.TargetHealth;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Target health across requests: circuit breakers (open, skip, single half-open probe, recovery), 429
 * cooldowns that honour the upstream's hint, waiting when every target is down, per-target concurrency caps,
 * and what {@code GET /admin/targets} shows of it all. Breakers and cooldowns run on the fake clock.
 */
class RoutingHealthE2ETest extends RoutingSupport {
    private static final String CHAT = "  chat:\n    targets: [pa/model-a, pb/model-b]\n";
    private static final String BREAKER = "  breaker: { consecutive_failures: 3, open_for: 15s, max_open_for: 1m }\n";

    @Test
    void breakerOpensAfterConsecutiveFailuresIsSkippedThenLetsOneProbeThroughAndRecovers() throws Exception {
        gateway(CHAT, BREAKER);
        a.enqueue(Reply.error(500, "server_error", null, "boom"), Reply.error(502, "server_error", null, "boom"),
                Reply.error(503, "server_error", null, "boom"));
        b.always(Reply.text("from b"));

        for (String status : new String[] {"500", "502", "503"}) {
            assertThat(chat(false).attempts()).containsExactly("pa/model-a:" + status, "pb/model-b:200");
        }
        TargetHealth.Snapshot open = gw.health("pa/model-a");
        assertThat(open.state()).isEqualTo(TargetHealth.State.OPEN);
        assertThat(open.openRemainingMillis()).isEqualTo(15_000);

        Seen skipped = chat(false);
        assertThat(skipped.text()).isEqualTo("from b");
        assertThat(skipped.header("x-switchyard-attempts")).matches("pa/model-a:breaker_open:0ms, pb/model-b:200:\\d+ms");
        assertThat(a.requestCount()).as("an open breaker sends nothing upstream").isEqualTo(3);

        clock.advance(Duration.ofSeconds(15));
        assertThat(gw.health("pa/model-a").state()).isEqualTo(TargetHealth.State.HALF_OPEN);
        // The probe: pa starts answering and holds its first token until the test has sent a second request.
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), r.includeUsage(), "probe ok")).pauseBefore(1, gate)));
        CompletableFuture<HttpResponse<byte[]>> probe = raw.postAsync("/v1/chat/completions", body("chat", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "probe-1");
        a.request(3).get(10, TimeUnit.SECONDS);

        Seen duringProbe = chat(false);
        assertThat(duringProbe.attempts()).as("half-open lets a single probe through").containsExactly("pa/model-a:breaker_open", "pb/model-b:200");
        assertThat(a.requestCount()).isEqualTo(4);

        gate.complete(null);
        HttpResponse<byte[]> probed = probe.get(10, TimeUnit.SECONDS);
        assertThat(new String(probed.body(), StandardCharsets.UTF_8)).contains("probe ok").endsWith("data: [DONE]\n\n");
        assertThat(probed.headers().firstValue("x-switchyard-attempts").orElseThrow()).matches("pa/model-a:200:\\d+ms");
        gw.outcome("probe-1").get(10, TimeUnit.SECONDS); // recorded once the stream has ended on the gateway's side
        assertThat(gw.health("pa/model-a").state()).isEqualTo(TargetHealth.State.CLOSED);

        a.enqueue(Reply.text("from a"));
        Seen recovered = chat(false);
        assertThat(recovered.text()).isEqualTo("from a");
        assertThat(recovered.attempts()).containsExactly("pa/model-a:200");
    }

    @Test
    void aFailedProbeReopensTheBreakerForTwiceAsLong() {
        gateway(CHAT, BREAKER);
        a.enqueue(Reply.error(500, "server_error", null, "boom"), Reply.error(500, "server_error", null, "boom"),
                Reply.error(500, "server_error", null, "boom"), Reply.error(500, "server_error", null, "still broken"));
        b.always(Reply.text("from b"));
        for (int i = 0; i < 3; i++) chat(false);

        clock.advance(Duration.ofSeconds(15));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:500", "pb/model-b:200");
        TargetHealth.Snapshot s = gw.health("pa/model-a");
        assertThat(s.state()).isEqualTo(TargetHealth.State.OPEN);
        assertThat(s.openRemainingMillis()).isEqualTo(30_000);

        clock.advance(Duration.ofSeconds(29));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:breaker_open", "pb/model-b:200");
        clock.advance(Duration.ofSeconds(1));
        a.enqueue(Reply.text("from a"));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:200");
        assertThat(gw.health("pa/model-a").state()).isEqualTo(TargetHealth.State.CLOSED);
    }

    @Test
    void a429CoolsTheTargetDownForExactlyItsRetryAfter() {
        gateway(CHAT, "");
        a.enqueue(Reply.error(429, "rate_limit_error", "rate_limit_exceeded", "slow down").header("retry-after", "20"));
        b.always(Reply.text("from b"));

        assertThat(chat(true).attempts()).containsExactly("pa/model-a:429", "pb/model-b:200");
        Seen cooling = chat(true);
        assertThat(cooling.text()).isEqualTo("from b");
        assertThat(cooling.attempts()).containsExactly("pa/model-a:cooling_down", "pb/model-b:200");
        assertThat(cooling.outcome().attempts().attempts().get(0).detail()).isEqualTo("cooling down for 20000ms");
        assertThat(adminTarget("pa/model-a").get("cooldown_remaining_ms").asLong()).isEqualTo(20_000);

        clock.advance(Duration.ofMillis(19_999));
        assertThat(chat(true).attempts()).containsExactly("pa/model-a:cooling_down", "pb/model-b:200");
        clock.advance(Duration.ofMillis(1));
        a.enqueue(Reply.text("from a"));
        assertThat(chat(true).attempts()).containsExactly("pa/model-a:200");
        assertThat(a.requestCount()).isEqualTo(2);
    }

    @Test
    void whenAllAreDownAndRecoveryIsTooFarOffTheClientGets503WithRetryAfterFromTheSoonestRecovery() {
        gateway(CHAT, "  breaker: { consecutive_failures: 1, open_for: 15s }\n  when_all_down: { wait_up_to: 2s }\n");
        a.enqueue(Reply.error(500, "server_error", null, "boom"));
        b.enqueue(Reply.error(429, "rate_limit_error", null, "slow down").header("retry-after", "9"));
        assertError(chat(false).response(), 502); // pa failed (and its breaker opened); pb is rate-limited

        Seen down = chat(false);
        JsonNode e = assertError(down.response(), 503);
        assertThat(e.get("code").asText()).isEqualTo("upstream_unavailable");
        assertThat(e.get("message").asText()).contains("pa/model-a", "breaker open", "pb/model-b", "cooling down");
        assertThat(down.header("retry-after")).as("pb cools down for 9s, pa's breaker opens for 15s").isEqualTo("9");
        assertThat(down.attempts()).containsExactly("pa/model-a:breaker_open", "pb/model-b:cooling_down");
        assertThat(down.outcome().status()).isEqualTo(503);
        assertThat(a.requestCount() + b.requestCount()).as("nothing sent while all are down").isEqualTo(2);

        clock.advance(Duration.ofSeconds(9));
        b.enqueue(Reply.text("from b"));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:breaker_open", "pb/model-b:200");
    }

    @Test
    void whenAllAreDownTheRequestWaitsForTheSoonestRecoveryWithinWaitUpTo() {
        healthClock = System::nanoTime; // the wait is a real timer: let real (milliseconds of) time pass
        gateway("  solo:\n    targets: [pa/model-a]\n", "  when_all_down: { wait_up_to: 5s }\n");
        a.enqueue(Reply.error(429, "rate_limit_error", null, "slow down").header("retry-after-ms", "30"), Reply.text("after the wait"));

        Seen r = send(body("solo", true));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("after the wait");
        assertThat(r.endsWithDone()).isTrue();
        assertThat(r.attempts()).containsExactly("pa/model-a:429", "pa/model-a:200");
    }

    @Test
    void waitingAlsoCoversAnOpenBreakerAndEachSkipIsLoggedOnce() {
        healthClock = System::nanoTime;
        gateway("  solo:\n    targets: [pa/model-a]\n",
                "  breaker: { consecutive_failures: 1, open_for: 40ms }\n  when_all_down: { wait_up_to: 5s }\n");
        a.enqueue(Reply.error(500, "server_error", null, "boom"), Reply.text("probe answered"));
        assertThat(send(body("solo", false)).status()).isEqualTo(502);

        Seen r = send(body("solo", false));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("probe answered");
        assertThat(r.attempts()).containsExactly("pa/model-a:breaker_open", "pa/model-a:200");
    }

    @Test
    void withoutWaitUpToAnAllDownRequestFailsAtOnce() {
        gateway("  solo:\n    targets: [pa/model-a]\n", "");
        a.enqueue(Reply.error(429, "rate_limit_error", null, "slow down").header("retry-after-ms", "30"));
        Seen r = send(body("solo", false));
        assertError(r.response(), 503);
        assertThat(r.header("retry-after")).isEqualTo("1"); // 30ms, rounded up to whole seconds
        assertThat(r.attempts()).containsExactly("pa/model-a:429");
    }

    @Test
    void aConcurrencyCapSendsTheOverflowToTheNextTarget() throws Exception {
        providerExtra.put("pa", "max_concurrency: 1");
        gateway(CHAT, "");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), r.includeUsage(), "held")).pauseBefore(1, gate)));
        b.always(Reply.text("from b"));

        CompletableFuture<HttpResponse<byte[]>> first = raw.postAsync("/v1/chat/completions", body("chat", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "capped-1");
        a.request(0).get(10, TimeUnit.SECONDS);
        JsonNode busy = adminTarget("pa/model-a");
        assertThat(busy.get("in_flight").asInt()).isEqualTo(1);
        assertThat(busy.get("max_concurrency").asInt()).isEqualTo(1);

        Seen overflow = chat(false);
        assertThat(overflow.text()).isEqualTo("from b");
        assertThat(overflow.attempts()).containsExactly("pa/model-a:at_capacity", "pb/model-b:200");

        gate.complete(null);
        assertThat(new String(first.get(10, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8)).contains("held");
        gw.outcome("capped-1").get(10, TimeUnit.SECONDS); // its slot is released when the gateway records it
        a.enqueue(Reply.text("from a"));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:200");
        assertThat(gw.health("pa/model-a").inFlight()).isZero();
    }

    @Test
    void adminTargetsShowsBreakerCooldownAndLatency() {
        gateway("  chat:\n    targets: [pa/model-a, pb/model-b, pc/model-c]\n", "  breaker: { consecutive_failures: 1, open_for: 15s }\n");
        a.enqueue(Reply.error(500, "server_error", null, "boom"));
        b.enqueue(Reply.error(429, "rate_limit_error", null, "slow down").header("retry-after", "4"));
        c.enqueue(Reply.text("from c"));
        assertThat(chat(false).attempts()).containsExactly("pa/model-a:500", "pb/model-b:429", "pc/model-c:200");

        JsonNode pa = adminTarget("pa/model-a");
        assertThat(pa.get("breaker").asText()).isEqualTo("open");
        assertThat(pa.get("open_remaining_ms").asLong()).isEqualTo(15_000);
        assertThat(pa.get("consecutive_failures").asInt()).isEqualTo(1);
        assertThat(pa.get("recent_error_rate").asDouble()).isEqualTo(1.0);
        assertThat(pa.get("ewma_latency_ms").isNull()).as("no success measured yet").isTrue();
        JsonNode pb = adminTarget("pb/model-b");
        assertThat(pb.get("breaker").asText()).isEqualTo("closed");
        assertThat(pb.get("cooldown_remaining_ms").asLong()).isEqualTo(4_000);
        assertThat(pb.get("consecutive_failures").asInt()).isZero();
        JsonNode pc = adminTarget("pc/model-c");
        assertThat(pc.get("ewma_latency_ms").isNumber()).as("measured by the success").isTrue();
        assertThat(pc.get("ewma_ttft_ms").isNull()).as("a plain request has no first token").isTrue();
        assertThat(pc.get("recent_error_rate").asDouble()).isZero();
        assertThat(pc.has("max_concurrency")).isFalse();

        clock.advance(Duration.ofSeconds(4));
        assertThat(adminTarget("pb/model-b").get("cooldown_remaining_ms").asLong()).isZero();
        assertThat(adminTarget("pa/model-a").get("open_remaining_ms").asLong()).isEqualTo(11_000);
        clock.advance(Duration.ofSeconds(11));
        assertThat(adminTarget("pa/model-a").get("breaker").asText()).isEqualTo("half_open");
    }

    @Test
    void adminTargetsShowsAStreamInFlightAndItsTimeToFirstToken() throws Exception {
        providerExtra.put("pc", "max_concurrency: 4");
        gateway("  chat:\n    targets: [pc/model-c]\n", "");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        c.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), r.includeUsage(), "x")).pauseBefore(2, gate)));

        CompletableFuture<HttpResponse<byte[]>> s = raw.postAsync("/v1/chat/completions", body("chat", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json", "x-request-id", "inflight-1");
        c.request(0).get(10, TimeUnit.SECONDS);
        JsonNode busy = adminTarget("pc/model-c");
        assertThat(busy.get("in_flight").asInt()).isEqualTo(1);
        assertThat(busy.get("max_concurrency").asInt()).isEqualTo(4);

        gate.complete(null);
        assertThat(s.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        gw.outcome("inflight-1").get(10, TimeUnit.SECONDS);
        JsonNode done = adminTarget("pc/model-c");
        assertThat(done.get("in_flight").asInt()).isZero();
        assertThat(done.get("ewma_ttft_ms").isNumber()).isTrue();
        assertThat(done.get("ewma_latency_ms").asDouble()).isGreaterThanOrEqualTo(done.get("ewma_ttft_ms").asDouble());
    }

    @Test
    void adminTargetsNeedsTheAdminKey() {
        gateway(CHAT, "");
        RawClient.Response withClientKey = raw.get("/admin/targets", "authorization", "Bearer " + KEY);
        assertError(withClientKey, 401);
        assertError(raw.get("/admin/targets"), 401);
        RawClient.Response ok = raw.get("/admin/targets", "authorization", "Bearer " + ADMIN);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("targets")).extracting(t -> t.path("target").asText()).containsExactly("pa/model-a", "pb/model-b");
        JsonNode fresh = ok.json().path("targets").get(0);
        assertThat(fresh.get("breaker").asText()).isEqualTo("closed");
        assertThat(fresh.get("in_flight").asInt()).isZero();
        assertThat(fresh.get("ewma_ttft_ms").isNull()).isTrue();
    }
}
