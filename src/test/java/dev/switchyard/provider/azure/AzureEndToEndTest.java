package dev.switchyard.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.switchyard.testkit.GatewayHarness;
import dev.switchyard.testkit.ScriptedUpstream;
import dev.switchyard.testkit.ScriptedUpstream.Received;
import dev.switchyard.testkit.ScriptedUpstream.Reply;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway end to end with Azure OpenAI behind it (deployment and v1 addressing), the OpenAI SDK as client. */
class AzureEndToEndTest {
    static Vertx vertx;
    static ScriptedUpstream azure;
    static GatewayHarness gw;

    private static final String CF = "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}";
    private static final String PROMPT_FILTER_CHUNK = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
            + "\"prompt_filter_results\":[{\"prompt_index\":0," + CF + "}]}";

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        azure = ScriptedUpstream.start(vertx);
        gw = GatewayHarness.start(vertx, """
                providers:
                  az: { type: azure, api_key: az-test, base_url: %s, api_version: 2024-10-21 }
                  azv1: { type: azure, api_key: az-v1, base_url: %s/openai/v1 }
                models:
                  chat: { targets: [az/gpt4o-prod] }
                  chat-v1: { targets: [azv1/gpt4o-prod] }
                  embed: { targets: [az/emb-small] }
                """.formatted(azure.url(), azure.url()));
    }

    @AfterAll
    static void stop() {
        gw.close();
        azure.close();
        vertx.close().await();
    }

    @BeforeEach
    void reset() {
        azure.reset();
        gw.clearOutcomes();
    }

    private static String chunk(String delta, String finish) {
        return "{\"choices\":[{" + CF + ",\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + ",\"index\":0,\"logprobs\":null}],\"created\":1700000001,\"id\":\"chatcmpl-A2\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}";
    }

    private static final String USAGE_CHUNK = "{\"choices\":[],\"created\":1700000001,\"id\":\"chatcmpl-A2\",\"model\":\"gpt-4o-2024-08-06\","
            + "\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":8,\"total_tokens\":10}}";

    @Test
    void chatGoesToTheDeploymentWithApiKeyAndApiVersion() {
        azure.enqueue(Reply.json(200, """
                {"id":"chatcmpl-A1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
                 "prompt_filter_results":[{"prompt_index":0,%s}],
                 "choices":[{"index":0,"finish_reason":"stop","logprobs":null,"message":{"role":"assistant","content":"Hello!","refusal":null},%s}],
                 "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""".formatted(CF, CF)));
        ChatCompletion c = gw.client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi").build());
        assertThat(c.choices().get(0).message().content()).hasValue("Hello!");
        Received r = azure.take();
        assertThat(r.uri()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
        assertThat(r.headers().get("api-key")).isEqualTo("az-test");
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(gw.outcome().usage().inputTokens()).isEqualTo(9);
    }

    @Test
    void v1AddressingPutsTheDeploymentInTheBody() {
        azure.enqueue(Reply.json(200, "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"v1\"},\"finish_reason\":\"stop\"}]}"));
        gw.client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat-v1").addUserMessage("hi").build());
        Received r = azure.take();
        assertThat(r.uri()).isEqualTo("/openai/v1/chat/completions");
        assertThat(r.headers().get("api-key")).isEqualTo("az-v1");
        assertThat(r.body().get("model").asText()).isEqualTo("gpt4o-prod");
    }

    @Test
    void theEmptyPromptFilterChunkNeverReachesTheClient() {
        azure.enqueue(Reply.sse(PROMPT_FILTER_CHUNK, chunk("{\"content\":\"\",\"role\":\"assistant\"}", null),
                chunk("{\"content\":\"Hel\"}", null), chunk("{\"content\":\"lo\"}", null), chunk("{}", "stop"), USAGE_CHUNK, "[DONE]"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        // a request id of its own: an earlier test's exchange may still be reporting when this one starts
        String requestId = "req-azure-prompt-filter";
        try (StreamResponse<ChatCompletionChunk> s = gw.client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi")
                        .putAdditionalHeader("x-request-id", requestId).build())) {
            s.stream().forEach(ch -> {
                chunks.add(ch);
                acc.accumulate(ch);
            });
        }
        // the client did not ask for usage: every chunk it sees has a choice (the gateway's own usage request is hidden)
        assertThat(chunks).hasSize(4).allSatisfy(ch -> assertThat(ch.choices()).hasSize(1));
        assertThat(chunks.get(0).id()).isEqualTo("chatcmpl-A2");
        assertThat(acc.chatCompletion().choices().get(0).message().content()).hasValue("Hello");
        Received r = azure.take();
        assertThat(r.body().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(gw.outcome(requestId).join().usage().outputTokens()).isEqualTo(2);
    }

    @Test
    void usageChunkReachesAClientThatAskedForIt() {
        azure.enqueue(Reply.sse(PROMPT_FILTER_CHUNK, chunk("{\"content\":\"Hi\",\"role\":\"assistant\"}", null), chunk("{}", "stop"), USAGE_CHUNK, "[DONE]"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = gw.client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunks::add);
        }
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(2).usage().get().totalTokens()).isEqualTo(10);
    }

    @Test
    void contentFilterRefusalIsA400WithCodeContentFilter() {
        azure.enqueue(Reply.json(400, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                 "type":null,"param":"prompt","code":"content_filter","status":400,
                 "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"}}}}}"""));
        assertThatThrownBy(() -> gw.client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("x").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).hasValue("content_filter");
                    assertThat(e.getMessage()).contains("content management policy");
                });
    }

    @Test
    void filteredCompletionKeepsItsFinishReason() {
        azure.enqueue(Reply.json(200, "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":\"content_filter\"," + CF + "}]}"));
        ChatCompletion c = gw.client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("x").build());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    }

    @Test
    void embeddingsUseTheEmbeddingDeployment() {
        azure.enqueue(Reply.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,0.25]}],"
                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"));
        CreateEmbeddingResponse e = gw.client.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("x")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(e.data().get(0).embedding()).containsExactly(0.5f, 0.25f);
        assertThat(azure.take().uri()).isEqualTo("/openai/deployments/emb-small/embeddings?api-version=2024-10-21");
    }
}
