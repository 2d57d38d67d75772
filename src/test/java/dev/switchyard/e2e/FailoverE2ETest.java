package dev.switchyard.e2e;

import static dev.switchyard.e2e.ErrorsE2ETest.assertProvenance;
import static dev.switchyard.testkit.OpenAiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first target fails in every transient way; the second answers, and the client never notices except
 * through the provenance headers.
 */
class FailoverE2ETest extends E2ESupport {
    /** pa gives up quickly; pb is relaxed. */
    private static final String PA_IMPATIENT = "{ first_token: 300ms, idle: 300ms, total: 400ms }";

    static Stream<Arguments> nonStreamFailures() {
        return Stream.of(
                Arguments.of("500", Reply.error(500, "server_error", null, "boom"), "500"),
                Arguments.of("503", Reply.error(503, "server_error", null, "overloaded").header("retry-after", "2"), "503"),
                Arguments.of("429", Reply.error(429, "rate_limit_error", "rate_limit_exceeded", "slow down").header("retry-after", "1"), "429"),
                Arguments.of("404 (wrong model mapping)", Reply.error(404, "invalid_request_error", "model_not_found", "no such model"), "404"),
                Arguments.of("drop before the first byte", Reply.drop(), "[a-z_]+"),
                Arguments.of("drop mid-body", Reply.rawSse(List.of("{\"id\":\"chatcmpl-")).dropAfter(1), "dropped"),
                Arguments.of("timeout", Reply.hang(), "timeout"),
                Arguments.of("200 with a body that is not JSON", Reply.json("<html>captive portal</html>"), "bad_response"),
                Arguments.of("200 with a truncated JSON body", Reply.json("{\"id\":\"chatcmpl-1\",\"choices\":["), "bad_response"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonStreamFailures")
    void nonStreamFailsOverToTheSecondTarget(String name, Reply failure, String label) {
        gateway(PA_IMPATIENT, RELAXED);
        a.enqueue(failure);
        b.enqueue(Reply.text("from b"));

        HttpResponseFor<ChatCompletion> r = sdk().chat().completions().withRawResponse().create(params("req-" + label.hashCode()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.parse().choices().get(0).message().content()).contains("from b");
        assertSdkProvenance(r, "req-" + label.hashCode(), "pa/model-a:" + label + ":\\d+ms, pb/model-b:200:\\d+ms");
        assertThat(a.requestCount()).isEqualTo(1);
        assertThat(b.onlyRequest().model()).isEqualTo("model-b");
    }

    static Stream<Arguments> streamFailures() {
        List<String> chunks = OpenAiBodies.textChunks("model-a", true, "from", " a");
        return Stream.of(
                Arguments.of("500", Reply.error(500, "server_error", null, "boom"), "500"),
                Arguments.of("429", Reply.error(429, "rate_limit_error", null, "slow down").header("retry-after", "1"), "429"),
                Arguments.of("drop before the first byte", Reply.drop(), "[a-z_]+"),
                Arguments.of("drop after the role chunk", Reply.sse(chunks).dropAfter(1), "dropped"),
                Arguments.of("in-stream error before content", Reply.sse(chunks).errorAfter(1,
                        OpenAiBodies.error("server_error", null, null, "model crashed")), "stream_error"),
                Arguments.of("no first token in time", Reply.sse(chunks).hangAfter(1), "timeout"),
                Arguments.of("hang", Reply.hang(), "timeout"),
                Arguments.of("200 with a body that is not SSE", Reply.json("<html>captive portal</html>"), "dropped"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamFailures")
    void streamFailsOverTransparentlyBeforeTheFirstToken(String name, Reply failure, String label) {
        gateway(PA_IMPATIENT, RELAXED);
        a.enqueue(failure);
        b.enqueue(Reply.text("from", " b"));

        HttpResponseFor<StreamResponse<ChatCompletionChunk>> r =
                sdk().chat().completions().withRawResponse().createStreaming(params("stream-" + label.hashCode()));
        assertSdkProvenance(r, "stream-" + label.hashCode(), "pa/model-a:" + label + ":\\d+ms, pb/model-b:200:\\d+ms");
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = r.parse()) {
            chunks = s.stream().toList();
        }

        assertThat(ChatE2ETest.joined(chunks)).isEqualTo("from b");
        assertThat(chunks).as("nothing of the failed attempt leaks").allSatisfy(c -> assertThat(c.model()).isEqualTo("model-b"));
    }

    @Test
    void streamProvenanceHeadersArriveBeforeTheStreamEnds() throws Exception {
        gateway();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        a.enqueue(Reply.error(503, "server_error", null, "overloaded"));
        // pb sends its role chunk and first token, then holds the rest until the test has seen the headers.
        b.enqueue(Reply.dynamic(req -> Reply.sse(OpenAiBodies.textChunks(req.model(), req.includeUsage(), "Hel", "lo")).pauseBefore(2, gate)));

        try (RawClient.OpenStream s = raw.openStream("/v1/chat/completions", chatBody("chat", true), withAuth("x-request-id", "early-1"))) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.header("x-switchyard-request-id")).isEqualTo("early-1");
            assertThat(s.header("x-switchyard-provider")).isEqualTo("pb");
            assertThat(s.header("x-switchyard-model")).isEqualTo("model-b");
            assertThat(s.header("x-switchyard-attempts")).matches("pa/model-a:503:\\d+ms, pb/model-b:200:\\d+ms");
            assertThat(s.header("x-switchyard-overhead-ms")).matches("\\d+\\.\\d{3}");
            assertThat(s.nextEvent()).contains("\"role\":\"assistant\"");
            assertThat(s.nextEvent()).contains("\"content\":\"Hel\"");
            assertThat(gate).isNotDone(); // the stream is still open: the headers came first
            gate.complete(null);
            assertThat(s.readAll()).contains("\"content\":\"lo\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void upstream400IsReturnedAsIsAndNotFailedOver() throws Exception {
        gateway();
        String upstreamError = OpenAiBodies.error("invalid_request_error", "invalid_value", "messages[0].role",
                "Invalid value: 'robot'. Supported values are: 'system', 'user', 'assistant'.");
        a.enqueue(Reply.status(400, upstreamError));

        RawClient.Response r = post(chatBody("chat", false), "x-request-id", "bad-1");

        assertError(r, 400);
        assertThat(r.json()).isEqualTo(new ObjectMapper().readTree(upstreamError));
        assertProvenance(r, "bad-1", "pa", "model-a", "pa/model-a:400:\\d+ms");
        assertThat(b.requestCount()).isZero();
        ExchangeOutcome o = gw.outcome("bad-1").get(10, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(400);
        assertThat(o.target()).isEqualTo("pa/model-a");
    }

    @Test
    void upstream400OnAStreamIsReturnedAsIsToTheSdk() {
        gateway();
        a.enqueue(Reply.error(400, "invalid_request_error", "invalid_value", "bad tool schema"));

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = sdk().chat().completions().createStreaming(params("bad-2"))) {
                s.stream().toList();
            }
        }).isInstanceOf(BadRequestException.class).hasMessageContaining("bad tool schema");
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void embeddingsFailOverToo() {
        gateway();
        a.enqueue(Reply.error(503, "server_error", null, "overloaded"));
        b.enqueue(Reply.json(OpenAiBodies.embeddings("embed-b", new double[] {0.5, 0.25})));

        HttpResponseFor<CreateEmbeddingResponse> r = sdk().embeddings().withRawResponse().create(EmbeddingCreateParams.builder()
                .model("embed").input("hello").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

        assertThat(r.parse().data().get(0).embedding()).containsExactly(0.5f, 0.25f);
        assertThat(r.headers().values("x-switchyard-attempts")).singleElement().asString()
                .matches("pa/embed-a:503:\\d+ms, pb/embed-b:200:\\d+ms");
        assertThat(b.onlyRequest().path()).isEqualTo("/v1/embeddings");
    }

    @Test
    void failoverIsReportedAsOneOutcomeWithBothAttempts() throws Exception {
        gateway();
        a.enqueue(Reply.error(500, "server_error", null, "boom"));
        b.enqueue(Reply.text("ok"));

        assertThat(post(chatBody("chat", false), "x-request-id", "outcome-1").status()).isEqualTo(200);

        ExchangeOutcome o = gw.outcome("outcome-1").get(10, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.target()).isEqualTo("pb/model-b");
        assertThat(o.publicModel()).isEqualTo("chat");
        assertThat(o.attempts().attempts()).extracting(at -> at.target() + ":" + at.outcome())
                .containsExactly("pa/model-a:500", "pb/model-b:200");
        assertThat(o.usage().inputTokens()).isEqualTo(OpenAiBodies.PROMPT_TOKENS);
    }

    private static ChatCompletionCreateParams params(String requestId) {
        return ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi")
                .putAdditionalHeader("x-request-id", requestId).build();
    }

    private static void assertSdkProvenance(HttpResponseFor<?> r, String requestId, String attemptsRegex) {
        assertThat(r.headers().values("x-switchyard-request-id")).containsExactly(requestId);
        assertThat(r.headers().values("x-switchyard-provider")).containsExactly("pb");
        assertThat(r.headers().values("x-switchyard-model")).containsExactly("model-b");
        assertThat(r.headers().values("x-switchyard-attempts")).singleElement().asString().matches(attemptsRegex);
        assertThat(r.headers().values("x-switchyard-overhead-ms")).singleElement().asString().matches("\\d+\\.\\d{3}");
    }
}
