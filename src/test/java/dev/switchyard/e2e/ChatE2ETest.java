package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.OpenAiBodies.ToolCall;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.RecordedRequest;
import dev.switchyard.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The happy paths, seen through the official OpenAI SDK (and raw bytes where the SDK would hide a flaw). */
class ChatE2ETest extends E2ESupport {
    private static final ToolCall WEATHER = new ToolCall("call_w1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    private static final ToolCall TIME = new ToolCall("call_t2", "get_time", "{\"tz\":\"Europe/Paris\"}");

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
    }

    @Test
    void nonStreamingCompletionIsParsedBySdkWithTheUpstreamContent() {
        gateway();
        a.enqueue(Reply.text("Hello", ", ", "world"));

        ChatCompletion c = sdk().chat().completions().create(params("chat").build());

        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).contains("Hello, world");
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(OpenAiBodies.PROMPT_TOKENS);
        RecordedRequest up = a.onlyRequest();
        assertThat(up.path()).isEqualTo("/v1/chat/completions");
        assertThat(up.model()).isEqualTo("model-a");
        assertThat(b.requestCount()).isZero();
    }

    @Test
    void streamedTextJoinsToTheUpstreamTextAndHidesUsageTheClientDidNotAskFor() {
        gateway();
        // Spaced out, so the chunks reach the gateway (and the client) as separate network reads.
        a.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.textChunks(r.model(), r.includeUsage(), "Hel", "lo ", "wor", "ld"))
                .gap(Duration.ofMillis(10))));
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = sdk().chat().completions().createStreaming(params("chat").build())) {
            chunks = s.stream().toList();
        }

        assertThat(joined(chunks)).isEqualTo("Hello world");
        assertThat(chunks).allSatisfy(ch -> assertThat(ch.usage()).isEmpty());
        // The gateway asked for usage anyway, to account for the stream.
        assertThat(a.onlyRequest().includeUsage()).isTrue();
    }

    @Test
    void streamWithIncludeUsageDeliversTheUsageChunk() {
        gateway();
        a.enqueue(Reply.text("Hel", "lo"));
        ChatCompletionCreateParams p = params("chat")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = sdk().chat().completions().createStreaming(p)) {
            chunks = s.stream().toList();
        }

        assertThat(joined(chunks)).isEqualTo("Hello");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(OpenAiBodies.PROMPT_TOKENS);
    }

    @Test
    void streamWithoutIncludeUsageCarriesNoUsageBytesAtAll() throws Exception {
        gateway();
        String[] pieces = {"Hel", "lo ", "wor", "ld"};
        a.enqueue(Reply.text(pieces));

        String body;
        try (RawClient.OpenStream s = raw.openStream("/v1/chat/completions", chatBody("chat", true), withAuth())) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.header("content-type")).startsWith("text/event-stream");
            body = s.readAll();
        }

        assertThat(a.onlyRequest().includeUsage()).isTrue();
        assertThat(body).doesNotContain("\"usage\"");
        // Exactly the frames OpenAI would have sent had usage never been asked for.
        StringBuilder want = new StringBuilder();
        for (String chunk : OpenAiBodies.textChunks("model-a", false, pieces)) want.append("data: ").append(chunk).append("\n\n");
        want.append("data: [DONE]\n\n");
        assertThat(body).isEqualTo(want.toString());
    }

    @Test
    void toolCallsInACompletionAreParsedBySdk() {
        gateway();
        a.enqueue(Reply.json(OpenAiBodies.toolCallCompletion("model-a", WEATHER, TIME)));

        ChatCompletion c = sdk().chat().completions().create(params("chat")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").build()).build());

        List<ChatCompletionMessageToolCall> calls = c.choices().get(0).message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(2);
        assertCall(calls.get(0).asFunction(), WEATHER);
        assertCall(calls.get(1).asFunction(), TIME);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void toolCallsStreamedInIndexedFragmentsAreAssembledBySdk() {
        gateway();
        a.enqueue(Reply.dynamic(r -> Reply.sse(OpenAiBodies.toolCallChunks(r.model(), r.includeUsage(), 5, WEATHER, TIME))));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = sdk().chat().completions().createStreaming(params("chat")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").build()).build())) {
            s.stream().forEach(acc::accumulate);
        }

        ChatCompletion c = acc.chatCompletion();
        List<ChatCompletionMessageToolCall> calls = c.choices().get(0).message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(2);
        assertCall(calls.get(0).asFunction(), WEATHER);
        assertCall(calls.get(1).asFunction(), TIME);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void embeddingsAreParsedBySdk() {
        gateway();
        a.enqueue(Reply.json(OpenAiBodies.embeddings("embed-a", new double[] {0.25, -0.5, 0.125}, new double[] {1, 0, -1})));

        CreateEmbeddingResponse e = sdk().embeddings().create(EmbeddingCreateParams.builder()
                .model("embed").inputOfArrayOfStrings(List.of("one", "two")).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

        assertThat(e.data()).hasSize(2);
        assertThat(e.data().get(0).embedding()).containsExactly(0.25f, -0.5f, 0.125f);
        assertThat(e.data().get(1).embedding()).containsExactly(1f, 0f, -1f);
        RecordedRequest up = a.onlyRequest();
        assertThat(up.path()).isEqualTo("/v1/embeddings");
        assertThat(up.model()).isEqualTo("embed-a");
        assertThat(up.json().get("input").toString()).isEqualTo("[\"one\",\"two\"]");
    }

    @Test
    void modelsAreListedAndRetrievableIncludingDirectProviderModelIds() {
        gateway();
        OpenAIClient sdk = sdk();

        List<String> ids = new ArrayList<>();
        sdk.models().list().autoPager().forEach(m -> ids.add(m.id()));
        assertThat(ids).contains("chat", "solo", "embed", "pa/model-a", "pb/model-b", "pa/embed-a");

        Model chat = sdk.models().retrieve("chat");
        assertThat(chat.id()).isEqualTo("chat");
        assertThat(sdk.models().retrieve("pb/model-b").id()).isEqualTo("pb/model-b");
        assertThatThrownBy(() -> sdk.models().retrieve("nope")).isInstanceOf(NotFoundException.class);

        // Unencoded slash, as curl would send it.
        RawClient.Response direct = raw.get("/v1/models/pa/model-a", withAuth());
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.json().get("id").asText()).isEqualTo("pa/model-a");
        assertThat(direct.json().get("object").asText()).isEqualTo("model");
    }

    @Test
    void directProviderModelAddressingReachesThatProvider() {
        gateway();
        b.enqueue(Reply.text("direct"));

        ChatCompletion c = sdk().chat().completions().create(params("pb/model-b").build());

        assertThat(c.choices().get(0).message().content()).contains("direct");
        assertThat(b.onlyRequest().model()).isEqualTo("model-b");
        assertThat(a.requestCount()).isZero();
    }

    private static void assertCall(ChatCompletionMessageFunctionToolCall got, ToolCall want) {
        assertThat(got.id()).isEqualTo(want.id());
        assertThat(got.function().name()).isEqualTo(want.name());
        assertThat(got.function().arguments()).isEqualTo(want.arguments());
    }

    static String joined(List<ChatCompletionChunk> chunks) {
        StringBuilder b = new StringBuilder();
        for (ChatCompletionChunk ch : chunks) {
            for (ChatCompletionChunk.Choice c : ch.choices()) c.delta().content().ifPresent(b::append);
        }
        return b.toString();
    }
}
