package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchyard.testkit.GatewayHarness;
import dev.switchyard.testkit.ScriptedUpstream;
import dev.switchyard.testkit.ScriptedUpstream.Received;
import dev.switchyard.testkit.ScriptedUpstream.Reply;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fallback list that crosses wire formats (OpenAI-compatible → Anthropic → Gemini) with {@code raw_params} reaching
 * each target as its own entry, and {@code x-switchyard-strict: true} passing over targets that would drop a
 * parameter. The official SDK is the client; each upstream is a loopback server speaking its native format.
 */
class StrictAndRawParamsE2ETest {
    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":"From OpenAI"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";
    private static final String CLAUDE_ANSWER = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text",
             "text":"From Claude"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}}""";
    private static final String GEMINI_ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"From Gemini"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},
             "modelVersion":"gemini-2.5-flash","responseId":"r1"}""";

    static Vertx vertx;
    static ScriptedUpstream openai;
    static ScriptedUpstream claude;
    static ScriptedUpstream gemini;
    static GatewayHarness gw;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        openai = ScriptedUpstream.start(vertx);
        claude = ScriptedUpstream.start(vertx);
        gemini = ScriptedUpstream.start(vertx);
        gw = GatewayHarness.start(vertx, """
                providers:
                  oa: { type: openai, api_key: oa-test, base_url: %s/v1 }
                  claude: { type: anthropic, api_key: ant-test, base_url: %s/v1 }
                  gem: { type: gemini, api_key: gk-test, base_url: %s/v1beta }
                models:
                  cross: { targets: [oa/gpt-4o, claude/claude-sonnet-4-5, gem/gemini-2.5-flash] }
                  claude-first: { targets: [claude/claude-haiku-4-5, oa/gpt-4o-mini] }
                  claude-only: { targets: [claude/claude-opus-4-1] }
                  claude-or-gemini: { targets: [claude/claude-opus-4-1, gem/gemini-2.5-pro] }
                """.formatted(openai.url(), claude.url(), gemini.url()));
    }

    @AfterAll
    static void stop() {
        gw.close();
        openai.close();
        claude.close();
        gemini.close();
        vertx.close().await();
    }

    @BeforeEach
    void reset() {
        openai.reset();
        claude.reset();
        gemini.reset();
    }

    @Test
    void eachTargetOfACrossProviderFallbackGetsItsOwnRawParams() {
        openai.enqueue(Reply.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        claude.enqueue(Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        gemini.enqueue(Reply.json(200, GEMINI_ANSWER));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("cross").addUserMessage("hi")
                        .putAdditionalBodyProperty("raw_params", JsonValue.from(Map.of(
                                "openai", Map.of("service_tier", "flex"),
                                "anthropic", Map.of("top_k", 5),
                                "gemini", Map.of("safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT",
                                        "threshold", "BLOCK_NONE"))))))
                        .build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("From Gemini");
        assertThat(raw.headers().values("x-switchyard-attempts").get(0))
                .contains("oa/gpt-4o:503:").contains("claude/claude-sonnet-4-5:529:").contains("gem/gemini-2.5-flash:200:");

        JsonNode o = openai.take().body();
        assertThat(o.path("service_tier").asText()).isEqualTo("flex");
        assertThat(o.has("raw_params") || o.has("top_k") || o.has("safetySettings")).isFalse();
        JsonNode c = claude.take().body();
        assertThat(c.path("top_k").asInt()).isEqualTo(5);
        assertThat(c.has("raw_params") || c.has("service_tier") || c.has("safetySettings")).isFalse();
        JsonNode g = gemini.take().body();
        assertThat(g.at("/safetySettings/0/threshold").asText()).isEqualTo("BLOCK_NONE");
        assertThat(g.has("raw_params") || g.has("top_k") || g.has("service_tier")).isFalse();
    }

    @Test
    void withoutStrictADroppedParameterIsNamed() {
        claude.enqueue(Reply.json(200, CLAUDE_ANSWER));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("claude-first").addUserMessage("hi").seed(7).build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("From Claude");
        assertThat(raw.headers().values("x-switchyard-dropped-params")).containsExactly("seed");
        assertThat(claude.take().body().has("seed")).isFalse();
    }

    @Test
    void strictPassesOverATargetThatWouldDropAParameter() {
        openai.enqueue(Reply.json(200, OPENAI_ANSWER));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("claude-first").addUserMessage("hi").seed(7)
                        .putAdditionalHeader("x-switchyard-strict", "true").build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("From OpenAI");
        assertThat(raw.headers().values("x-switchyard-attempts").get(0))
                .startsWith("claude/claude-haiku-4-5:skipped_strict:0ms, oa/gpt-4o-mini:200:");
        assertThat(raw.headers().values("x-switchyard-dropped-params")).isEmpty();
        assertThat(openai.take().body().path("seed").asInt()).isEqualTo(7);
        assertThat(claude.idle()).as("nothing was sent to the skipped target").isTrue();
    }

    @Test
    void strictStreamsFromTheTargetThatKeepsEveryParameter() {
        openai.enqueue(Reply.sse(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}",
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "[DONE]"));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = gw.client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-first").addUserMessage("hi").seed(7)
                        .putAdditionalHeader("x-switchyard-strict", "true").build())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo("Hi");
        assertThat(claude.idle()).isTrue();
    }

    @Test
    void strictWithNoTargetLeftIsA400NamingTheParametersAndTheTargets() {
        assertThatThrownBy(() -> gw.client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-or-gemini").addUserMessage("hi").seed(7).logprobs(true)
                .putAdditionalHeader("x-switchyard-strict", "true").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).hasValue("unsupported_parameter");
                    assertThat(e.param()).as("the first one, in body order").hasValue("logprobs");
                    assertThat(e.getMessage()).contains("x-switchyard-strict")
                            .contains("claude/claude-opus-4-1 → would drop logprobs, seed")
                            .contains("gem/gemini-2.5-pro → would drop logprobs");
                    assertThat(e.headers().values("x-switchyard-attempts").get(0))
                            .isEqualTo("claude/claude-opus-4-1:skipped_strict:0ms, gem/gemini-2.5-pro:skipped_strict:0ms");
                });
        assertThat(claude.idle()).isTrue();
        assertThat(gemini.idle()).isTrue();
    }

    @Test
    void strictOnARequestThatDropsNothingChangesNothing() {
        claude.enqueue(Reply.json(200, CLAUDE_ANSWER));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("claude-only").addUserMessage("hi").temperature(0.3)
                        .putAdditionalHeader("x-switchyard-strict", "true").build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("From Claude");
        assertThat(claude.take().body().path("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void whenTheTargetsThatKeepEveryParameterAreDownTheStatusIsTheirs() {
        openai.enqueue(Reply.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        assertThatThrownBy(() -> gw.client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-first").addUserMessage("hi").seed(7).putAdditionalHeader("x-switchyard-strict", "true").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).as("retrying later can succeed: not a 400").isEqualTo(503);
                    assertThat(e.getMessage()).contains("claude/claude-haiku-4-5 → would drop seed").contains("oa/gpt-4o-mini");
                });
        assertThat(claude.idle()).isTrue();
    }

    @Test
    void aStrictHeaderThatIsNeitherTrueNorFalseIsRejected() {
        assertThatThrownBy(() -> gw.client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude-only").addUserMessage("hi").putAdditionalHeader("x-switchyard-strict", "yes please").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).hasValue("invalid_header");
                    assertThat(e.getMessage()).contains("x-switchyard-strict");
                });
        assertThat(claude.idle()).isTrue();
    }
}
