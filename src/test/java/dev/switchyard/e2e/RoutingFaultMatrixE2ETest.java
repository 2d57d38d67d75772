package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.resilience.TargetHealth;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scripted way an upstream fails, and for each: who answered, what the client saw (status, body or
 * stream, provenance headers) and what the gateway recorded (the exchange outcome and the target's health).
 * Route {@code chat} = pa then pb; pa misbehaves, pb answers "from b".
 */
class RoutingFaultMatrixE2ETest extends RoutingSupport {
    /** pa gives up quickly where a timer has to fire; pb stays relaxed. */
    private static final String PA_IMPATIENT = "{ first_token: 150ms, idle: 150ms, total: 400ms }";
    /** pa's content flows at once; only a stall after it should trip the idle timer. */
    private static final String PA_IDLE = "{ first_token: 10s, idle: 300ms, total: 30s }";
    /** role chunk, "Hel", "lo", " wor", "ld", finish chunk, usage chunk, [DONE] */
    private static final List<String> A_CHUNKS = OpenAiBodies.textChunks("model-a", true, "Hel", "lo", " wor", "ld");
    private static final String CUT_CHUNK = "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\" wo\n\n";

    /**
     * @param cooldownMs  the cooldown pa must be in afterwards (fake clock: exact), or -1 when it must count as a failure
     * @param hangsUp     the gateway must have hung up on pa (it would otherwise have waited forever)
     */
    record Fault(String name, Reply reply, String label, long cooldownMs, boolean hangsUp) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Fault fails(String name, Reply reply, String label) {
        return new Fault(name, reply, label, -1, false);
    }

    private static Fault cools(String name, Reply reply, long cooldownMs) {
        return new Fault(name, reply, "429", cooldownMs, false);
    }

    private static Fault hangs(String name, Reply reply, String label) {
        return new Fault(name, reply, label, -1, true);
    }

    private static Reply.Json tooMany() {
        return Reply.error(429, "rate_limit_error", "rate_limit_exceeded", "slow down");
    }

    /** Failures before anything is answered, the same for streams and plain requests. */
    static Stream<Fault> httpFaults() {
        return Stream.of(
                fails("500", Reply.error(500, "server_error", null, "boom"), "500"),
                fails("503 with retry-after", Reply.error(503, "server_error", null, "overloaded").header("retry-after", "2"), "503"),
                fails("529 overloaded", Reply.error(529, "overloaded_error", null, "Overloaded"), "529"),
                fails("404 (wrong model mapping)", Reply.error(404, "invalid_request_error", "model_not_found", "no such model"), "404"),
                cools("429 + retry-after seconds", tooMany().header("retry-after", "7"), 7_000),
                cools("429 + retry-after-ms", tooMany().header("retry-after-ms", "1500"), 1_500),
                cools("429 + x-ratelimit-reset-requests", tooMany().header("x-ratelimit-reset-requests", "6m0s"), 360_000),
                cools("429 + x-ratelimit-reset-tokens", tooMany().header("x-ratelimit-reset-tokens", "2.5s"), 2_500),
                cools("429 + several hints: the longest wins", tooMany().header("retry-after", "1").header("retry-after-ms", "4000"), 4_000),
                cools("429 without a hint: routing.cooldown", tooMany(), 1_000),
                hangs("hang: no status, no headers", Reply.hang(), "timeout"),
                fails("drop before the first byte", Reply.drop(), "dropped"),
                hangs("slow response: headers later than first_token", Reply.after(Duration.ofSeconds(20), Reply.text("late")), "timeout"));
    }

    static Stream<Fault> streamOnlyFaults() {
        Reply.Sse full = Reply.sse(A_CHUNKS);
        List<String> malformed = new ArrayList<>(List.of(full.frames().get(0), CUT_CHUNK));
        malformed.addAll(full.frames().subList(1, full.frames().size()));
        return Stream.of(
                fails("drop after the role chunk", full.dropAfter(1), "dropped"),
                hangs("stall after the role chunk", full.hangAfter(1), "timeout"),
                hangs("slow first token: role chunk, then nothing", full.pauseBefore(1, new CompletableFuture<>()), "timeout"),
                fails("malformed chunk before content", Reply.rawSse(malformed), "malformed_chunk"),
                fails("in-stream error event before content", full.errorAfter(1,
                        OpenAiBodies.error("server_error", null, null, "model crashed")), "stream_error"),
                fails("role chunk, then the response ends", Reply.rawSse(full.frames().subList(0, 1)), "dropped"),
                fails("200 with a JSON body instead of a stream", Reply.json(OpenAiBodies.chatCompletion("model-a", "from a")), "dropped"));
    }

    static Stream<Fault> plainOnlyFaults() {
        return Stream.of(
                fails("drop mid-body", Reply.rawSse(List.of("{\"id\":\"chatcmpl-")).dropAfter(1), "dropped"),
                fails("200 with a body that is not JSON", Reply.json("<html>captive portal</html>"), "bad_response"),
                fails("200 with a truncated JSON body", Reply.json("{\"id\":\"chatcmpl-1\",\"choices\":["), "bad_response"),
                fails("200 whose body is an error", Reply.json(OpenAiBodies.error("server_error", null, null, "overloaded")), "bad_response"));
    }

    static Stream<Arguments> failoverCases() {
        return Stream.of(
                httpFaults().map(f -> Arguments.of(f, true)),
                httpFaults().map(f -> Arguments.of(f, false)),
                streamOnlyFaults().map(f -> Arguments.of(f, true)),
                plainOnlyFaults().map(f -> Arguments.of(f, false))).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("failoverCases")
    void beforeTheFirstTokenEveryFailureFailsOverTransparently(Fault fault, boolean stream) throws Exception {
        if (fault.hangsUp()) timeouts.put("pa", PA_IMPATIENT); // only where a timer has to fire
        gateway();
        a.enqueue(fault.reply());
        b.enqueue(Reply.text("from", " b"));

        Seen r = chat(stream);

        // the client: one clean answer from pb, nothing of pa's attempt
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.isStream()).isEqualTo(stream);
        assertThat(r.text()).isEqualTo("from b");
        assertThat(r.models()).isNotEmpty().allMatch("model-b"::equals);
        if (stream) assertThat(r.endsWithDone()).isTrue();
        assertThat(r.header("x-switchyard-provider")).isEqualTo("pb");
        assertThat(r.header("x-switchyard-attempts")).matches("pa/model-a:" + fault.label() + ":\\d+ms, pb/model-b:200:\\d+ms");
        // the upstreams: each asked once
        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(b.onlyRequest().model()).isEqualTo("model-b");
        if (fault.hangsUp()) a.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        // the record
        assertThat(r.outcome().status()).isEqualTo(200);
        assertThat(r.outcome().target()).isEqualTo("pb/model-b");
        assertThat(r.outcome().truncated()).isFalse();
        assertThat(r.outcome().errorType()).isNull();
        assertThat(r.outcome().usage()).isNotNull();
        assertThat(r.attempts()).containsExactly("pa/model-a:" + fault.label(), "pb/model-b:200");
        TargetHealth.Snapshot pa = gw.health("pa/model-a");
        assertThat(pa.inFlight()).isZero();
        if (fault.cooldownMs() >= 0) {
            assertThat(pa.cooldownRemainingMillis()).isEqualTo(fault.cooldownMs());
            assertThat(pa.consecutiveFailures()).as("a 429 is not a health failure").isZero();
        } else {
            assertThat(pa.cooldownRemainingMillis()).isZero();
            assertThat(pa.consecutiveFailures()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedConnectionFailsOverAndSaysConnectError() {
        gateway("  chat:\n    targets: [pz/model-z, pb/model-b]\n", "");
        b.always(Reply.text("from", " b"));
        for (boolean stream : new boolean[] {false, true}) {
            Seen r = chat(stream);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("from b");
            assertThat(r.header("x-switchyard-attempts")).matches("pz/model-z:connect_error:\\d+ms, pb/model-b:200:\\d+ms");
            assertThat(r.outcome().attempts().attempts().get(0).detail()).containsIgnoringCase("refused");
        }
    }

    static Stream<Arguments> breaksAfterContent() {
        Reply.Sse full = Reply.sse(A_CHUNKS);
        List<String> malformed = new ArrayList<>(full.frames().subList(0, 3));
        malformed.add(CUT_CHUNK);
        malformed.addAll(full.frames().subList(3, full.frames().size()));
        return Stream.of(
                Arguments.of("drop after 3 chunks", full.dropAfter(3), "dropped", "stream_broken", false),
                Arguments.of("in-stream error event", full.errorAfter(3, OpenAiBodies.error("server_error", null, null, "crashed")),
                        "stream_error", "stream_broken", false),
                Arguments.of("stall past the idle timeout", full.hangAfter(3), "timeout", "stream_timeout", true),
                Arguments.of("malformed chunk", Reply.rawSse(malformed), "malformed_chunk", "stream_broken", false),
                Arguments.of("response ends without finish_reason or [DONE]", Reply.rawSse(full.frames().subList(0, 3)),
                        "dropped", "stream_broken", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaksAfterContent")
    void afterTheFirstTokenABreakEndsTheStreamWithAnErrorEventAndNoDone(String name, Reply reply, String label, String code,
            boolean hangsUp) throws Exception {
        timeouts.put("pa", PA_IDLE);
        gateway();
        a.enqueue(reply);

        Seen r = chat(true);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-switchyard-provider")).isEqualTo("pa");
        assertThat(r.header("x-switchyard-attempts")).as("sent with the first token").matches("pa/model-a:200:\\d+ms");
        assertThat(r.text()).isEqualTo("Hello");
        assertThat(r.body()).doesNotContain("[DONE]");
        List<String> events = r.events();
        JsonNode e = assertErrorBody(events.get(events.size() - 1), json(events.get(events.size() - 1)));
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("message").asText()).contains("pa/model-a", "incomplete");
        assertThat(b.requestCount()).as("no failover once content reached the client: that would splice two answers").isZero();
        if (hangsUp) a.request(0).get().clientGone().get(10, TimeUnit.SECONDS);
        assertThat(r.outcome().status()).isEqualTo(200);
        assertThat(r.outcome().truncated()).isTrue();
        assertThat(r.outcome().errorType()).isEqualTo("stream_broken");
        assertThat(r.outcome().target()).isEqualTo("pa/model-a");
        assertThat(r.attempts()).containsExactly("pa/model-a:200", "pa/model-a:" + label);
        assertThat(gw.health("pa/model-a").consecutiveFailures()).as("a broken stream counts against pa").isEqualTo(1);
    }

    static Stream<Arguments> returnedAsIs() {
        return Stream.of(
                Arguments.of(Reply.error(400, "invalid_request_error", "invalid_value", "bad role"), "invalid_value", true),
                Arguments.of(Reply.error(400, "invalid_request_error", "invalid_value", "bad role"), "invalid_value", false),
                Arguments.of(Reply.error(422, "invalid_request_error", null, "unprocessable"), "null", false),
                Arguments.of(Reply.error(400, "invalid_request_error", "content_filter", "refused by policy"), "content_filter", true),
                Arguments.of(Reply.error(400, "invalid_request_error", "content_filter", "refused by policy"), "content_filter", false));
    }

    @ParameterizedTest(name = "{1}, stream={2}")
    @MethodSource("returnedAsIs")
    void clientErrorsAndContentRefusalsAreReturnedAsTheyAreWithoutFailover(Reply.Json reply, String code, boolean stream) {
        gateway();
        a.enqueue(reply);

        Seen r = chat(stream);

        assertThat(r.status()).isEqualTo(reply.status());
        assertThat(json(r.body())).isEqualTo(json(reply.body()));
        assertThat(r.error().get("code").asText()).isEqualTo(code);
        assertThat(r.header("x-switchyard-attempts")).matches("pa/model-a:" + reply.status() + ":\\d+ms");
        assertThat(b.requestCount()).isZero();
        assertThat(r.outcome().status()).isEqualTo(reply.status());
        assertThat(r.attempts()).containsExactly("pa/model-a:" + reply.status());
        TargetHealth.Snapshot pa = gw.health("pa/model-a");
        assertThat(pa.consecutiveFailures()).as("the client's mistake says nothing about pa's health").isZero();
        assertThat(pa.inFlight()).isZero();
    }

    @Test
    void aSlowFirstTokenWithinFirstTokenIsWaitedFor() throws Exception {
        timeouts.put("pa", PA_IDLE);
        gateway();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(Reply.sse(A_CHUNKS).pauseBefore(1, gate));

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", body("chat", true),
                "authorization", "Bearer " + KEY, "content-type", "application/json");
        a.request(0).get(10, TimeUnit.SECONDS);
        gate.complete(null); // the first token comes only now, well after the request went out
        HttpResponse<byte[]> r = call.get(10, TimeUnit.SECONDS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"Hel\"").endsWith("data: [DONE]\n\n");
        assertThat(r.headers().firstValue("x-switchyard-attempts").orElseThrow()).matches("pa/model-a:200:\\d+ms");
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void everyAttemptFailingBeforeContentGivesAStreamingClientAJsonErrorNamingEachFailure() {
        timeouts.put("pb", PA_IMPATIENT);
        gateway();
        a.enqueue(Reply.sse(A_CHUNKS).errorAfter(1, OpenAiBodies.error("server_error", null, null, "model crashed")));
        b.enqueue(Reply.sse(A_CHUNKS).hangAfter(1));

        Seen r = chat(true);

        assertThat(r.isStream()).isFalse();
        JsonNode e = dev.switchyard.testkit.OpenAiErrors.assertError(r.response(), 502);
        assertThat(e.get("message").asText()).contains("pa/model-a", "model crashed", "pb/model-b", "first_token");
        assertThat(r.attempts()).containsExactly("pa/model-a:stream_error", "pb/model-b:timeout");
        assertThat(r.outcome().status()).isEqualTo(502);
        assertThat(r.outcome().target()).isEqualTo("pb/model-b");
    }
}
