package dev.switchyard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchyard.resilience.ExchangeOutcome;
import dev.switchyard.testkit.GatewayHarness;
import dev.switchyard.testkit.ScriptedUpstream;
import dev.switchyard.testkit.ScriptedUpstream.Received;
import dev.switchyard.testkit.ScriptedUpstream.Reply;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway end to end with Gemini behind it: the official OpenAI SDK as the client, a loopback
 * server speaking Gemini's native wire format as the upstream, the real config, routing and relay.
 */
class GeminiEndToEndTest {
    static Vertx vertx;
    static ScriptedUpstream gemini;
    static ScriptedUpstream azure;
    static GatewayHarness gw;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        gemini = ScriptedUpstream.start(vertx);
        azure = ScriptedUpstream.start(vertx);
        gw = GatewayHarness.start(vertx, """
                providers:
                  gem: { type: gemini, api_key: gk-test, base_url: %s/v1beta }
                  az: { type: azure, api_key: az-test, base_url: %s }
                models:
                  flash: { targets: [gem/gemini-2.5-flash] }
                  limited: { targets: [gem/gemini-2.5-flash-lite] }   # its own target: a 429 cools it down
                  embed: { targets: [gem/text-embedding-004] }
                  mixed: { targets: [gem/gemini-2.5-flash, az/gpt4o-prod] }
                """.formatted(gemini.url(), azure.url()));
    }

    @AfterAll
    static void stop() {
        gw.close();
        gemini.close();
        azure.close();
        vertx.close().await();
    }

    @BeforeEach
    void reset() {
        gemini.reset();
        azure.reset();
        gw.clearOutcomes();
    }

    private static ChatCompletionCreateParams.Builder chat(String user) {
        return ChatCompletionCreateParams.builder().model("flash").addUserMessage(user);
    }

    private static String text(String rid, String text, String finish) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"text":%s}]},"finishReason":"%s","index":0}],
                 "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":3,"thoughtsTokenCount":2,"totalTokenCount":12},
                 "modelVersion":"gemini-2.5-flash","responseId":"%s"}""".formatted(quote(text), finish, rid);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void chatTranslatesBothWaysAndNamesDroppedParameters() {
        gemini.enqueue(Reply.json(200, text("r1", "Hello from Gemini", "STOP")));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                chat("Say hello").addSystemMessage("Be brief.").temperature(0.3).maxCompletionTokens(50L).user("u-42").build());
        ChatCompletion c = raw.parse();

        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).hasValue("Hello from Gemini");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.id()).isEqualTo("chatcmpl-r1");
        assertThat(c.usage().get().promptTokens()).isEqualTo(7);
        assertThat(c.usage().get().completionTokens()).isEqualTo(5); // 3 answer + 2 thinking
        assertThat(c.usage().get().completionTokensDetails().get().reasoningTokens()).hasValue(2L);
        assertThat(raw.headers().values("x-switchyard-provider")).containsExactly("gem");
        assertThat(raw.headers().values("x-switchyard-dropped-params")).containsExactly("user");

        Received up = gemini.take();
        assertThat(up.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(up.headers().get("x-goog-api-key")).isEqualTo("gk-test");
        assertThat(up.headers().get("authorization")).isNull();
        assertThat(up.body().at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
        assertThat(up.body().at("/contents/0/parts/0/text").asText()).isEqualTo("Say hello");
        assertThat(up.body().at("/generationConfig/temperature").asDouble()).isEqualTo(0.3);
        assertThat(up.body().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(50);
        ExchangeOutcome o = gw.outcome();
        assertThat(o.usage().outputTokens()).isEqualTo(5);
        assertThat(o.usage().reasoningTokens()).isEqualTo(2);
    }

    @Test
    void streamArrivesAsOpenAiChunksWithUsageWhenAsked() throws Exception {
        gemini.enqueue(Reply.sse(
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]},\"index\":0}],\"responseId\":\"s1\",\"modelVersion\":\"gemini-2.5-flash\"}",
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" world\"}]},\"index\":0}],\"responseId\":\"s1\",\"modelVersion\":\"gemini-2.5-flash\"}",
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":2,\"totalTokenCount\":6},\"responseId\":\"s1\",\"modelVersion\":\"gemini-2.5-flash\"}"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = gw.client.chat().completions().createStreaming(chat("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(ch -> {
                chunks.add(ch);
                acc.accumulate(ch);
            });
        }
        ChatCompletion whole = acc.chatCompletion();
        assertThat(whole.choices().get(0).message().content()).hasValue("Hello world");
        assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().get().totalTokens()).isEqualTo(6);
        assertThat(gemini.take().uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(gw.outcome().usage().inputTokens()).isEqualTo(4);
    }

    @Test
    void toolCallsRoundTripWithStableIdsAndThoughtSignatures() {
        gemini.enqueue(Reply.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[
                   {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnLTE="},
                   {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10,"totalTokenCount":40},"responseId":"rt"}"""));
        ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Weather for a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false)).build())
                .strict(true).build()).build();
        ChatCompletionCreateParams first = chat("Weather in Paris and Rome?").addTool(tool).build();
        ChatCompletion c1 = gw.client.chat().completions().create(first);

        assertThat(c1.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = c1.choices().get(0).message().toolCalls().orElseThrow()
                .stream().map(t -> t.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("call_rt_0", "call_rt_1");
        assertThat(calls.get(1).function().arguments()).isEqualTo("{\"city\":\"Rome\"}");
        JsonNode decl = gemini.take().body().at("/tools/0/functionDeclarations/0");
        assertThat(decl.at("/parameters/type").asText()).isEqualTo("OBJECT");
        assertThat(decl.at("/parameters/additionalProperties").isMissingNode()).isTrue();

        gemini.enqueue(Reply.json(200, text("r2", "Rome is warmer.", "STOP")));
        ChatCompletion c2 = gw.client.chat().completions().create(first.toBuilder()
                .addMessage(c1.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_rt_1").content("24C, sunny").build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_rt_0").content("{\"temp\":18}").build())
                .build());
        assertThat(c2.choices().get(0).message().content()).hasValue("Rome is warmer.");
        JsonNode contents = gemini.take().body().get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.at("/1/role").asText()).isEqualTo("model");
        assertThat(contents.at("/1/parts/0/functionCall/args/city").asText()).isEqualTo("Paris");
        assertThat(contents.at("/1/parts/0/thoughtSignature").asText()).isEqualTo("c2lnLTE=");
        assertThat(contents.at("/2/role").asText()).isEqualTo("user");
        assertThat(contents.at("/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
        assertThat(contents.at("/2/parts/0/functionResponse/response/result").asText()).isEqualTo("24C, sunny");
        assertThat(contents.at("/2/parts/1/functionResponse/response/temp").asInt()).isEqualTo(18);
    }

    /** A class the SDK turns into a JSON Schema itself, as real applications do. */
    public static class Person {
        public String name;
        public int age;
        public List<String> tags;
    }

    @Test
    void structuredOutputFromTheSdksOwnSchema() {
        gemini.enqueue(Reply.json(200, text("rj", "{\"name\":\"Ann\",\"age\":41,\"tags\":[\"x\"]}", "STOP")));
        StructuredChatCompletion<Person> c = gw.client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("flash").addUserMessage("Ann, 41, tag x").responseFormat(Person.class).build());
        Person p = c.choices().get(0).message().content().orElseThrow();
        assertThat(p.name).isEqualTo("Ann");
        assertThat(p.age).isEqualTo(41);
        JsonNode gen = gemini.take().body().get("generationConfig");
        assertThat(gen.get("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(gen.at("/responseSchema/type").asText()).isEqualTo("OBJECT");
        assertThat(gen.at("/responseSchema/properties/age/type").asText()).isEqualTo("INTEGER");
        assertThat(gen.at("/responseSchema/properties/tags/items/type").asText()).isEqualTo("STRING");
    }

    @Test
    void unconvertibleSchemaIsA400NamingThePathAndNothingGoesUpstream() {
        ResponseFormatJsonSchema rf = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("labels").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("v", Map.of("oneOf", List.of(Map.of("type", "string"), Map.of("type", "integer"))))))
                        .build()).build()).build();
        assertThatThrownBy(() -> gw.client.chat().completions().create(chat("x").responseFormat(rf).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).hasValue("response_format.json_schema.schema.properties.v.oneOf");
                    assertThat(e.getMessage()).contains("oneOf");
                });
        assertThat(gemini.idle()).isTrue();
    }

    @Test
    void imagesTravelAsInlineData() {
        gemini.enqueue(Reply.json(200, text("rv", "A red dot.", "STOP")));
        ChatCompletion c = gw.client.chat().completions().create(ChatCompletionCreateParams.builder().model("flash")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64,iVBORw0KGgo=").build()).build())))
                .build());
        assertThat(c.choices().get(0).message().content()).hasValue("A red dot.");
        JsonNode parts = gemini.take().body().at("/contents/0/parts");
        assertThat(parts.at("/1/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(parts.at("/1/inlineData/data").asText()).isEqualTo("iVBORw0KGgo=");
    }

    @Test
    void upstreamInvalidArgumentReachesTheClientAsA400() {
        gemini.enqueue(Reply.json(400, "{\"error\":{\"code\":400,\"message\":\"Please use a valid role: user, model.\",\"status\":\"INVALID_ARGUMENT\"}}"));
        assertThatThrownBy(() -> gw.client.chat().completions().create(chat("x").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("valid role");
                    assertThat(e.code()).hasValue("invalid_argument");
                });
    }

    @Test
    void quotaExhaustionBecomesA503WithGeminisRetryDelay() {
        gemini.enqueue(Reply.json(429, """
                {"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}"""));
        assertThatThrownBy(() -> gw.client.chat().completions().create(chat("x").model("limited").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.headers().values("retry-after")).containsExactly("7");
                });
    }

    @Test
    void blockedPromptIsAContentFilterFinish() {
        gemini.enqueue(Reply.json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":3},\"responseId\":\"rb\"}"));
        ChatCompletion c = gw.client.chat().completions().create(chat("x").build());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
        assertThat(c.choices().get(0).message().content()).isEmpty();
    }

    @Test
    void aStreamCutBeforeItsFinishReasonEndsInAnErrorNotACleanEnd() {
        gemini.enqueue(Reply.sse("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Half an\"}]},\"index\":0}],\"responseId\":\"sc\"}"));
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = gw.client.chat().completions().createStreaming(chat("x").build())) {
                s.stream().forEach(ch -> ch.choices().forEach(ch2 -> ch2.delta().content().ifPresent(seen::add)));
            }
        }).isInstanceOf(com.openai.errors.OpenAIException.class).hasMessageContaining("incomplete");
        assertThat(seen).containsExactly("Half an");
        assertThat(gw.outcome().truncated()).isTrue();
    }

    @Test
    void embeddingsSingleAndBatch() {
        gemini.enqueue(Reply.json(200, "{\"embedding\":{\"values\":[0.5,-1.0]}}"),
                Reply.json(200, "{\"embeddings\":[{\"values\":[0.25,0.125]},{\"values\":[-2.0,1.0]}]}"));
        CreateEmbeddingResponse one = gw.client.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("hello").build());
        assertThat(one.data().get(0).embedding()).containsExactly(0.5f, -1.0f);
        assertThat(gemini.take().uri()).isEqualTo("/v1beta/models/text-embedding-004:embedContent");

        CreateEmbeddingResponse two = gw.client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("a", "b")).build());
        assertThat(two.data()).hasSize(2);
        assertThat(two.data().get(1).embedding()).containsExactly(-2.0f, 1.0f);
        Received batch = gemini.take();
        assertThat(batch.uri()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(batch.body().at("/requests/1/content/parts/0/text").asText()).isEqualTo("b");
    }

    @Test
    void fallbackFromGeminiToAzureGivesEachTargetItsOwnRawParams() {
        gemini.enqueue(Reply.json(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}"));
        azure.enqueue(Reply.json(200, """
                {"id":"chatcmpl-az","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
                 "message":{"role":"assistant","content":"From Azure"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"""));
        HttpResponseFor<ChatCompletion> raw = gw.client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("mixed").addUserMessage("hi")
                        .putAdditionalBodyProperty("raw_params", JsonValue.from(Map.of(
                                "gemini", Map.of("safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT", "threshold", "BLOCK_NONE"))),
                                "azure", Map.of("user_security_context", Map.of("application_name", "demo")))))
                        .build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("From Azure");
        assertThat(raw.headers().values("x-switchyard-attempts").get(0)).contains("gem/gemini-2.5-flash:503").contains("az/gpt4o-prod:200");

        JsonNode g = gemini.take().body();
        assertThat(g.at("/safetySettings/0/threshold").asText()).isEqualTo("BLOCK_NONE");
        assertThat(g.has("user_security_context")).isFalse();
        Received a = azure.take();
        assertThat(a.uri()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
        assertThat(a.body().at("/user_security_context/application_name").asText()).isEqualTo("demo");
        assertThat(a.body().has("raw_params")).isFalse();
        assertThat(a.body().has("safetySettings")).isFalse();
    }

    @Test
    void serviceErrorsCarryTheGatewayRequestId() {
        gemini.enqueue(Reply.json(404, "{\"error\":{\"code\":404,\"message\":\"models/x is not found\",\"status\":\"NOT_FOUND\"}}"));
        assertThatThrownBy(() -> gw.client.chat().completions().create(chat("x").build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.headers().values("x-switchyard-request-id")).hasSize(1);
                });
    }
}
