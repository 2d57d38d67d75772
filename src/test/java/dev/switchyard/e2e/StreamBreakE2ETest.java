package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertErrorBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.RecordedRequest;
import dev.switchyard.testkit.Reply;
import java.net.http.HttpResponse;
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
 * What happens when either side of a stream goes away: a client hanging up makes the gateway hang up on
 * the upstream; an upstream breaking after content reached the client ends the client's stream with an
 * error event and never a {@code [DONE]}, so half an answer cannot pass for a whole one.
 */
class StreamBreakE2ETest extends E2ESupport {
    private static final ObjectMapper M = new ObjectMapper();
    /** role chunk, "Hel", "lo", " wor", "ld", finish chunk, usage chunk, [DONE] */
    private static final List<String> CHUNKS = OpenAiBodies.textChunks("model-a", true, "Hel", "lo", " wor", "ld");

    @Test
    void clientClosingMidStreamCancelsTheUpstreamRequest() throws Exception {
        gateway();
        // The upstream sends the start of its answer, then would go on forever.
        a.enqueue(Reply.sse(CHUNKS).pauseBefore(3, new CompletableFuture<>()));

        RawClient.OpenStream s = raw.openStream("/v1/chat/completions", chatBody("chat", true), withAuth("x-request-id", "gone-1"));
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.nextEvent()).contains("\"role\"");
        assertThat(s.nextEvent()).contains("\"Hel\"");
        s.close();

        RecordedRequest up = a.request(0).get(10, TimeUnit.SECONDS);
        up.clientGone().get(10, TimeUnit.SECONDS);
        ExchangeOutcome o = gw.outcome("gone-1").get(10, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(499);
        assertThat(o.errorType()).isEqualTo("client_closed");
        assertThat(b.requestCount()).as("a client that left is not failed over").isZero();
    }

    @Test
    void clientClosingWhileWaitingForASlowAnswerCancelsTheUpstreamRequest() throws Exception {
        gateway();
        a.enqueue(Reply.hang());

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", chatBody("chat", false),
                withAuth("x-request-id", "gone-2"));
        RecordedRequest up = a.request(0).get(10, TimeUnit.SECONDS);
        assertThat(up.clientGone()).isNotDone();
        call.cancel(true);

        up.clientGone().get(10, TimeUnit.SECONDS);
        assertThat(gw.outcome("gone-2").get(10, TimeUnit.SECONDS).status()).isEqualTo(499);
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void clientClosingBeforeTheFirstTokenCancelsTheUpstreamRequest() throws Exception {
        gateway();
        a.enqueue(Reply.sse(CHUNKS).hangAfter(1)); // role chunk only: nothing committed to the client yet

        CompletableFuture<HttpResponse<byte[]>> call = raw.postAsync("/v1/chat/completions", chatBody("chat", true), withAuth());
        RecordedRequest up = a.request(0).get(10, TimeUnit.SECONDS);
        call.cancel(true);

        up.clientGone().get(10, TimeUnit.SECONDS);
        assertThat(b.requestCount()).isZero();
    }

    static Stream<Arguments> breaks() {
        Reply.Sse full = Reply.sse(CHUNKS);
        return Stream.of(
                Arguments.of("connection dropped", full.dropAfter(3), "stream_broken"),
                Arguments.of("in-stream error event", full.errorAfter(3, OpenAiBodies.error("server_error", null, null, "model crashed")), "stream_broken"),
                Arguments.of("stall past the idle timeout", full.hangAfter(3), "stream_timeout"),
                Arguments.of("response ended without finish or [DONE]", Reply.rawSse(full.frames().subList(0, 3)), "stream_broken"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaks")
    void upstreamBreakingAfterContentEndsTheClientStreamWithAnErrorEventAndNoDone(String name, Reply failure, String code) throws Exception {
        gateway("{ first_token: 10s, idle: 300ms, total: 30s }", RELAXED);
        a.enqueue(failure);

        String body;
        try (RawClient.OpenStream s = raw.openStream("/v1/chat/completions", chatBody("chat", true), withAuth("x-request-id", "break-1"))) {
            assertThat(s.status()).isEqualTo(200);
            body = s.readAll();
        }

        List<String> events = events(body);
        assertThat(body).doesNotContain("[DONE]");
        assertThat(events).hasSizeGreaterThanOrEqualTo(3);
        assertThat(events.get(1)).contains("\"Hel\"");
        assertThat(events.get(2)).contains("\"lo\"");
        String last = events.get(events.size() - 1);
        assertThat(last).startsWith("data: ");
        String json = last.substring("data: ".length());
        JsonNode e = assertErrorBody(json, M.readTree(json));
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("message").asText()).contains("pa/model-a").contains("incomplete");
        assertThat(b.requestCount()).as("no failover once content reached the client").isZero();
        ExchangeOutcome o = gw.outcome("break-1").get(10, TimeUnit.SECONDS);
        assertThat(o.truncated()).isTrue();
    }

    @Test
    void sdkReportsABrokenStreamAsAnErrorRatherThanAShortAnswer() {
        gateway();
        a.enqueue(Reply.sse(CHUNKS).dropAfter(3));

        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = sdk().chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi").build())) {
                s.stream().forEach(c -> seen.add(ChatE2ETest.joined(List.of(c))));
            }
        }).isInstanceOf(OpenAIException.class).hasMessageContaining("incomplete");
        assertThat(String.join("", seen)).isEqualTo("Hello");
    }

    /** SSE frames of a body, each without its blank line. */
    private static List<String> events(String body) {
        List<String> out = new ArrayList<>();
        for (String f : body.split("\n\n")) if (!f.isBlank()) out.add(f);
        return out;
    }
}
