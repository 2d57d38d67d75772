package dev.switchyard.provider.anthropic;

import static dev.switchyard.provider.anthropic.AnthropicMock.blockStart;
import static dev.switchyard.provider.anthropic.AnthropicMock.blockStop;
import static dev.switchyard.provider.anthropic.AnthropicMock.delta;
import static dev.switchyard.provider.anthropic.AnthropicMock.error;
import static dev.switchyard.provider.anthropic.AnthropicMock.event;
import static dev.switchyard.provider.anthropic.AnthropicMock.message;
import static dev.switchyard.provider.anthropic.AnthropicMock.messageDelta;
import static dev.switchyard.provider.anthropic.AnthropicMock.messageStart;
import static dev.switchyard.provider.anthropic.AnthropicMock.messageStop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.SseException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import dev.switchyard.app.Gateway;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real gateway, started from YAML, between the official openai-java SDK and a loopback server speaking
 * Anthropic's wire format: if the SDK cannot read what the translation makes of Anthropic's answers, or the
 * mock sees a body Anthropic would reject, this fails.
 */
class AnthropicEndToEndTest {
    private static Vertx vertx;
    private static AnthropicMock mock;
    private static Gateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        mock = AnthropicMock.start(vertx);
        String yaml = """
                server: { host: 127.0.0.1, port: 0 }
                auth:
                  keys: [ { name: e2e, key: sk-e2e, models: ["*"] } ]
                providers:
                  claude:
                    type: anthropic
                    api_key: sk-ant-e2e
                    base_url: http://127.0.0.1:%1$d/v1
                    options: { default_max_tokens: "1024" }
                  flaky:
                    type: openai
                    api_key: sk-openai-e2e
                    base_url: http://127.0.0.1:%1$d/openai/v1
                models:
                  claude: { targets: [claude/claude-sonnet-4-5] }
                  fallback: { targets: [flaky/gpt-4o, claude/claude-sonnet-4-5] }
                """.formatted(mock.port());
        ProviderRegistry registry = ProviderRegistry.standard();
        GatewayConfig config = new ConfigLoader(registry, name -> null).parse(yaml, "e2e");
        gateway = Gateway.start(vertx, config, registry, name -> null, 1, outcome -> { }).await();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").apiKey("sk-e2e")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.shutdown(Duration.ofSeconds(1)).await();
        mock.close();
        vertx.close().await();
    }

    @BeforeEach
    void resetMock() {
        mock.reset();
    }

    @Test
    void chat() throws Exception {
        mock.script(r -> AnthropicMock.Reply.json(200,
                message("msg_chat", "[{\"type\":\"text\",\"text\":\"Bonjour !\"}]", "end_turn", 10, 4, 5)));
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("claude").addSystemMessage("Answer in French.").addUserMessage("Say hello").temperature(0.5).presencePenalty(0.5).build());
        ChatCompletion c = raw.parse();

        assertThat(c.choices().get(0).message().content()).contains("Bonjour !");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().get().promptTokens()).isEqualTo(15);
        assertThat(c.usage().get().promptTokensDetails().get().cachedTokens()).contains(5L);
        assertThat(c.usage().get().completionTokens()).isEqualTo(4);
        assertThat(raw.headers().values("x-switchyard-provider")).containsExactly("claude");
        assertThat(raw.headers().values("x-switchyard-dropped-params")).containsExactly("presence_penalty");

        AnthropicMock.Received got = mock.next();
        assertThat(got.path()).isEqualTo("/v1/messages");
        assertThat(got.headers().get("x-api-key")).isEqualTo("sk-ant-e2e");
        assertThat(got.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(got.headers().get("authorization")).isNull();
        assertThat(got.body().getString("model")).isEqualTo("claude-sonnet-4-5");
        assertThat(got.body().getString("system")).isEqualTo("Answer in French.");
        assertThat(got.body().getInteger("max_tokens")).isEqualTo(1024);
        assertThat(got.body().getDouble("temperature")).isEqualTo(0.5);
        assertThat(got.body().containsKey("presence_penalty")).isFalse();
        assertThat(got.body().getJsonArray("messages")).isEqualTo(new JsonArray("[{\"role\":\"user\",\"content\":\"Say hello\"}]"));
    }

    @Test
    void stream() throws Exception {
        mock.script(r -> AnthropicMock.Reply.sse(messageStart("msg_stream", 12), blockStart(0, "{\"type\":\"text\",\"text\":\"\"}"),
                event("ping", "{\"type\":\"ping\"}"), delta(0, "{\"type\":\"text_delta\",\"text\":\"Hello\"}"),
                delta(0, "{\"type\":\"text_delta\",\"text\":\", world\"}"), blockStop(0), messageDelta("end_turn", 7), messageStop()));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("Say hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk ch : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                acc.accumulate(ch);
                chunks++;
            }
        }
        ChatCompletion c = acc.chatCompletion();
        assertThat(chunks).isEqualTo(5); // role, two deltas, finish, usage
        assertThat(c.choices().get(0).message().content()).contains("Hello, world");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().get().promptTokens()).isEqualTo(12);
        assertThat(c.usage().get().completionTokens()).isEqualTo(7);
        AnthropicMock.Received got = mock.next();
        assertThat(got.body().getBoolean("stream")).isTrue();
        assertThat(got.body().containsKey("stream_options")).isFalse();
        assertThat(got.headers().get("accept")).isEqualTo("text/event-stream");
    }

    @Test
    void toolsRoundTrip() throws Exception {
        mock.script(r -> AnthropicMock.Reply.json(200, message("msg_t1", "[{\"type\":\"text\",\"text\":\"Checking.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_B\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}]", "tool_use", 50, 30, 0)));
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("claude")
                .addUserMessage("Weather in Paris and Rome?").addTool(weatherTool());
        ChatCompletion first = client.chat().completions().create(params.build());
        ChatCompletionMessage asked = first.choices().get(0).message();
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = asked.toolCalls().get().stream().map(t -> t.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("toolu_A", "toolu_B");
        assertThat(calls.get(0).function().name()).isEqualTo("get_weather");
        assertThat(new JsonObject(calls.get(1).function().arguments())).isEqualTo(new JsonObject().put("city", "Rome"));
        JsonObject firstBody = mock.next().body();
        assertThat(firstBody.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type")).isEqualTo("object");

        mock.script(r -> AnthropicMock.Reply.json(200,
                message("msg_t2", "[{\"type\":\"text\",\"text\":\"Paris 18C, Rome 24C.\"}]", "end_turn", 90, 10, 0)));
        params.addMessage(asked);
        for (ChatCompletionMessageFunctionToolCall call : calls) {
            params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                    .content(call.id().equals("toolu_A") ? "18C" : "24C").build());
        }
        ChatCompletion second = client.chat().completions().create(params.build());
        assertThat(second.choices().get(0).message().content()).contains("Paris 18C, Rome 24C.");

        JsonArray sent = mock.next().body().getJsonArray("messages");
        assertThat(sent).hasSize(3);
        JsonObject assistant = sent.getJsonObject(1);
        assertThat(assistant.getString("role")).isEqualTo("assistant");
        assertThat(assistant.getJsonArray("content")).isEqualTo(new JsonArray("""
                [{"type":"text","text":"Checking."},
                 {"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"city":"Paris"}},
                 {"type":"tool_use","id":"toolu_B","name":"get_weather","input":{"city":"Rome"}}]"""));
        assertThat(sent.getJsonObject(2)).isEqualTo(new JsonObject("""
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_A","content":"18C"},
                                          {"type":"tool_result","tool_use_id":"toolu_B","content":"24C"}]}"""));
    }

    @Test
    void streamedToolCall() {
        mock.script(r -> AnthropicMock.Reply.sse(messageStart("msg_st", 40),
                blockStart(0, "{\"type\":\"tool_use\",\"id\":\"toolu_S\",\"name\":\"get_weather\",\"input\":{}}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Os\"}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"lo\\\"}\"}"), blockStop(0),
                messageDelta("tool_use", 20), messageStop()));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("Weather in Oslo?").addTool(weatherTool()).build())) {
            s.stream().forEach(acc::accumulate);
        }
        ChatCompletion c = acc.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = c.choices().get(0).message().toolCalls().get().get(0).asFunction();
        assertThat(call.id()).isEqualTo("toolu_S");
        assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Oslo"));
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    /** The SDK's own structured-output API: it sends a json_schema and parses the content into the class. */
    public static class CityWeather {
        public String city;
        public double temperatureC;
    }

    @Test
    void structuredOutput() throws Exception {
        mock.script(r -> {
            String tool = r.body().getJsonObject("tool_choice").getString("name");
            return AnthropicMock.Reply.json(200, message("msg_s", "[{\"type\":\"tool_use\",\"id\":\"toolu_O\",\"name\":\"" + tool
                    + "\",\"input\":{\"city\":\"Lima\",\"temperatureC\":21.5}}]", "tool_use", 30, 12, 0));
        });
        StructuredChatCompletion<CityWeather> c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("Weather in Lima?").responseFormat(CityWeather.class).build());
        CityWeather w = c.choices().get(0).message().content().get();
        assertThat(w.city).isEqualTo("Lima");
        assertThat(w.temperatureC).isEqualTo(21.5);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);

        JsonObject body = mock.next().body();
        JsonObject choice = body.getJsonObject("tool_choice");
        assertThat(choice.getString("type")).isEqualTo("tool");
        JsonObject tool = body.getJsonArray("tools").getJsonObject(0);
        assertThat(tool.getString("name")).isEqualTo(choice.getString("name"));
        assertThat(tool.getJsonObject("input_schema").getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("city", "temperatureC");
    }

    @Test
    void vision() throws Exception {
        mock.script(r -> AnthropicMock.Reply.json(200, message("msg_v", "[{\"type\":\"text\",\"text\":\"A red pixel and a cat.\"}]", "end_turn", 900, 8, 0)));
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is in these?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64,iVBORw0KGgo=")
                                        .detail(ChatCompletionContentPartImage.ImageUrl.Detail.HIGH).build()).build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.com/cat.jpg").build()).build())))
                .build());
        assertThat(raw.parse().choices().get(0).message().content()).contains("A red pixel and a cat.");
        assertThat(raw.headers().values("x-switchyard-dropped-params")).containsExactly("messages[].content[].image_url.detail");
        JsonArray content = mock.next().body().getJsonArray("messages").getJsonObject(0).getJsonArray("content");
        assertThat(content).isEqualTo(new JsonArray("""
                [{"type":"text","text":"What is in these?"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                 {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]"""));
    }

    @Test
    void thinkingComesBackAsReasoningContent() throws Exception {
        mock.script(r -> AnthropicMock.Reply.json(200, message("msg_th", "[{\"type\":\"thinking\",\"thinking\":\"6*7=42\",\"signature\":\"sig\"},"
                + "{\"type\":\"text\",\"text\":\"42\"}]", "end_turn", 20, 60, 0)));
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("6*7?").reasoningEffort(ReasoningEffort.LOW).build());
        ChatCompletionMessage m = c.choices().get(0).message();
        assertThat(m.content()).contains("42");
        assertThat(m._additionalProperties().get("reasoning_content")).isEqualTo(JsonValue.from("6*7=42"));
        JsonObject body = mock.next().body();
        assertThat(body.getJsonObject("thinking")).isEqualTo(new JsonObject().put("type", "enabled").put("budget_tokens", 2048));
        assertThat(body.getInteger("max_tokens")).isEqualTo(1024 + 2048);
    }

    @Test
    void invalidRequestIsReturnedAsOpenAiError() {
        mock.script(r -> AnthropicMock.Reply.json(400, error("invalid_request_error", "messages.0.content: Field required")));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("messages.0.content: Field required");
                    assertThat(e.type()).contains("invalid_request_error");
                });
    }

    @Test
    void overloadedBecomes503WithRetryAfter() {
        mock.script(r -> AnthropicMock.Reply.json(529, error("overloaded_error", "Overloaded")).header("retry-after", "4"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.headers().values("retry-after")).containsExactly("4");
                    assertThat(e.headers().values("x-switchyard-attempts").get(0)).contains("claude/claude-sonnet-4-5:529:");
                });
    }

    @Test
    void rateLimitedBecomes503WithRetryAfter() {
        mock.script(r -> AnthropicMock.Reply.json(429, error("rate_limit_error", "Rate limited")).header("retry-after", "9"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.headers().values("retry-after")).containsExactly("9");
                });
    }

    @Test
    void inStreamErrorBeforeContentFailsTheAttempt() {
        mock.script(r -> AnthropicMock.Reply.sse(messageStart("msg_e", 5), event("ping", "{\"type\":\"ping\"}"),
                event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model("claude").addUserMessage("hi").build())) {
                s.stream().forEach(ch -> { });
            }
        }).isInstanceOfSatisfying(InternalServerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.getMessage()).contains("overloaded_error");
        });
    }

    @Test
    void inStreamErrorAfterContentEndsTheStreamWithAnError() {
        mock.script(r -> AnthropicMock.Reply.sse(messageStart("msg_h", 5), blockStart(0, "{\"type\":\"text\",\"text\":\"\"}"),
                delta(0, "{\"type\":\"text_delta\",\"text\":\"Half an\"}"),
                event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal error\"}}")));
        StringBuilder got = new StringBuilder();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model("claude").addUserMessage("hi").build())) {
                s.stream().forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(got::append)));
            }
        }).isInstanceOf(SseException.class).hasMessageContaining("incomplete");
        assertThat(got.toString()).isEqualTo("Half an"); // what came before the failure, and never a clean end
    }

    @Test
    void untranslatableParameterIsRejected() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("hi").n(3).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("n");
                    assertThat(e.getMessage()).contains("one choice per request");
                });
        assertThat(mock.drain()).isEmpty();
    }

    @Test
    void fallbackFromOpenAiCompatibleToAnthropicCarriesRawParams() throws Exception {
        mock.script(r -> AnthropicMock.Reply.json(200, message("msg_f", "[{\"type\":\"text\",\"text\":\"from claude\"}]", "end_turn", 3, 2, 0)));
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("fallback").addUserMessage("hi")
                .putAdditionalBodyProperty("raw_params", JsonValue.from(Map.of(
                        "anthropic", Map.of("top_k", 7, "betas", List.of("context-1m-2025-08-07")),
                        "openai", Map.of("logit_bias", Map.of()))))
                .build());
        assertThat(raw.parse().choices().get(0).message().content()).contains("from claude");
        assertThat(raw.headers().values("x-switchyard-attempts").get(0))
                .contains("flaky/gpt-4o:503:").contains("claude/claude-sonnet-4-5:200:");
        AnthropicMock.Received compat = mock.next();
        assertThat(compat.path()).isEqualTo("/openai/v1/chat/completions");
        // the OpenAI-compatible target gets its own entry merged, and never the raw_params member itself
        assertThat(compat.body().getJsonObject("logit_bias")).isNotNull();
        assertThat(compat.body().containsKey("raw_params")).isFalse();
        assertThat(compat.body().containsKey("top_k")).isFalse();
        AnthropicMock.Received got = mock.next();
        assertThat(got.path()).isEqualTo("/v1/messages");
        assertThat(got.body().getInteger("top_k")).isEqualTo(7);
        assertThat(got.body().containsKey("raw_params")).isFalse();
        assertThat(got.body().containsKey("openai")).isFalse();
        assertThat(got.headers().get("anthropic-beta")).isEqualTo("context-1m-2025-08-07");
    }

    private static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .description("Current weather in a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .build()).build();
    }
}
