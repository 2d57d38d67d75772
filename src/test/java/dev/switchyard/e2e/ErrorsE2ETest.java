package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a request can fail, each answered with exactly OpenAI's error shape — and nothing sent upstream
 * for a request the gateway itself refuses.
 */
class ErrorsE2ETest extends E2ESupport {

    @Test
    void invalidJsonIs400() {
        gateway();
        RawClient.Response r = post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",", "x-request-id", "bad-json-1");
        JsonNode e = assertError(r, 400);
        assertThat(r.header("x-switchyard-request-id")).isEqualTo("bad-json-1");
        assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.get("message").asText()).contains("not valid JSON");
        assertNothingSentUpstream();
    }

    @Test
    void nonObjectBodyIs400() {
        gateway();
        assertError(post("[1,2,3]"), 400);
        assertNothingSentUpstream();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"temperature\":\"hot\"", "\"max_tokens\":1.5", "\"stream\":\"yes\"", "\"messages\":{}", "\"tools\":7"})
    void wrongFieldTypeIs400NamingTheField(String member) {
        gateway();
        String field = member.substring(1, member.indexOf('"', 1));
        String body = "{\"model\":\"chat\"," + (field.equals("messages") ? "" : "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],")
                + member + "}";
        JsonNode e = assertError(post(body), 400);
        assertThat(e.get("param").asText()).isEqualTo(field);
        assertThat(e.get("message").asText()).contains(field);
        assertNothingSentUpstream();
    }

    @Test
    void missingModelIs400() {
        gateway();
        JsonNode e = assertError(post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400);
        assertThat(e.get("param").asText()).isEqualTo("model");
        assertNothingSentUpstream();
    }

    @Test
    void missingMessagesIs400() {
        gateway();
        JsonNode e = assertError(post("{\"model\":\"chat\"}"), 400);
        assertThat(e.get("param").asText()).isEqualTo("messages");
        assertNothingSentUpstream();
    }

    @Test
    void missingEmbeddingInputIs400() {
        gateway();
        JsonNode e = assertError(raw.post("/v1/embeddings", "{\"model\":\"embed\"}", withAuth()), 400);
        assertThat(e.get("param").asText()).isEqualTo("input");
        assertNothingSentUpstream();
    }

    @Test
    void unknownModelIs404SayingHowToListModels() {
        gateway();
        JsonNode e = assertError(post(chatBody("gpt-nonexistent", false)), 404);
        assertThat(e.get("code").asText()).isEqualTo("model_not_found");
        assertThat(e.get("message").asText()).contains("gpt-nonexistent").contains("GET /v1/models");
        assertThatThrownBy(() -> sdk().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-nonexistent").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("GET /v1/models");
        assertNothingSentUpstream();
    }

    @Test
    void bodyOverMaxBodyBytesIs413() {
        gateway(); // max_body_bytes: 4KiB
        String big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(6000) + "\"}]}";
        JsonNode e = assertError(post(big), 413);
        assertThat(e.get("message").asText()).contains("max_body_bytes");
        assertNothingSentUpstream();
    }

    @Test
    void chunkedBodyOverMaxBodyBytesIs413() {
        gateway();
        String big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(6000) + "\"}]}";
        assertError(raw.postChunked("/v1/chat/completions", big.getBytes(StandardCharsets.UTF_8), withAuth()), 413);
        assertNothingSentUpstream();
    }

    @Test
    void wrongMethodIs405() {
        gateway();
        assertError(raw.get("/v1/chat/completions", withAuth()), 405);
        assertError(raw.send("DELETE", "/v1/models", null, withAuth()), 405);
        assertError(raw.send("PUT", "/v1/embeddings", "{}".getBytes(StandardCharsets.UTF_8), withAuth()), 405);
    }

    @Test
    void unknownPathIs404() {
        gateway();
        assertError(raw.post("/v1/completions-typo", chatBody("chat", false), withAuth()), 404);
    }

    @Test
    void wrongOrMissingKeyIs401() {
        gateway();
        String body = chatBody("chat", false);
        assertError(raw.post("/v1/chat/completions", body, "authorization", "Bearer sk-wrong", "content-type", "application/json"), 401);
        assertError(raw.post("/v1/chat/completions", body, "content-type", "application/json"), 401);
        assertError(raw.post("/v1/chat/completions", body, "authorization", "Basic " + KEY), 401);
        assertError(raw.post("/v1/embeddings", "{\"model\":\"embed\",\"input\":\"x\"}", "api-key", "sk-wrong"), 401);
        assertError(raw.get("/v1/models"), 401);
        assertError(raw.get("/v1/models/chat", "authorization", "Bearer sk-wrong"), 401);
        assertThatThrownBy(() -> gw.sdk("sk-wrong").models().list()).isInstanceOf(UnauthorizedException.class);
        assertNothingSentUpstream();
    }

    @Test
    void apiKeyHeaderAuthenticates() {
        gateway();
        a.enqueue(Reply.text("ok"));
        RawClient.Response r = raw.post("/v1/chat/completions", chatBody("chat", false), "api-key", KEY, "content-type", "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/choices/0/message/content").asText()).isEqualTo("ok");
        assertThat(raw.get("/v1/models", "api-key", KEY).status()).isEqualTo(200);
        // The client's key never travels upstream; the provider's does.
        assertThat(a.onlyRequest().header("authorization")).isEqualTo("Bearer " + PA_KEY);
        assertThat(a.onlyRequest().headers().toString()).doesNotContain(KEY);
    }

    @Test
    void allTargetsFailingWith5xxIs502NamingEachAttempt() {
        gateway();
        a.enqueue(Reply.error(500, "server_error", null, "boom at a"));
        b.enqueue(Reply.error(502, "server_error", null, "bad gateway at b"));

        RawClient.Response r = post(chatBody("chat", false), "x-request-id", "all-fail-502");
        JsonNode e = assertError(r, 502);
        assertThat(e.get("message").asText()).contains("pa/model-a", "boom at a", "pb/model-b", "bad gateway at b");
        assertThat(r.header("retry-after")).isNull();
        assertProvenance(r, "all-fail-502", "pb", "model-b", "pa/model-a:500:\\d+ms, pb/model-b:502:\\d+ms");
    }

    @Test
    void allTargetsUnavailableIs503WithRetryAfter() {
        gateway();
        a.enqueue(Reply.error(429, "rate_limit_error", "rate_limit_exceeded", "slow down").header("retry-after", "7"));
        b.enqueue(Reply.error(503, "server_error", null, "overloaded").header("retry-after", "3"));

        RawClient.Response r = post(chatBody("chat", false), "x-request-id", "all-fail-503");
        JsonNode e = assertError(r, 503);
        assertThat(e.get("message").asText()).contains("pa/model-a", "slow down", "pb/model-b", "overloaded");
        assertThat(r.header("retry-after")).isEqualTo("3"); // the soonest either upstream allows
        assertProvenance(r, "all-fail-503", "pb", "model-b", "pa/model-a:429:\\d+ms, pb/model-b:503:\\d+ms");
    }

    @Test
    void allTargetsTimingOutIs504() {
        gateway("{ total: 250ms }", "{ total: 250ms }");
        a.enqueue(Reply.hang());
        b.enqueue(Reply.hang());

        RawClient.Response r = post(chatBody("chat", false), "x-request-id", "all-fail-504");
        JsonNode e = assertError(r, 504);
        assertThat(e.get("message").asText()).contains("pa/model-a", "pb/model-b", "timeout");
        assertProvenance(r, "all-fail-504", "pb", "model-b", "pa/model-a:timeout:\\d+ms, pb/model-b:timeout:\\d+ms");
    }

    @Test
    void streamingRequestWhoseTargetsAllFailGetsAJsonErrorNotAStream() {
        gateway();
        a.enqueue(Reply.error(500, "server_error", null, "boom"));
        b.enqueue(Reply.drop());

        RawClient.Response r = post(chatBody("chat", true));
        JsonNode e = assertError(r, 502);
        assertThat(e.get("message").asText()).contains("pa/model-a", "pb/model-b");
        assertThat(r.header("x-switchyard-attempts")).matches("pa/model-a:500:\\d+ms, pb/model-b:\\w+:\\d+ms");
    }

    @Test
    void upstreamErrorBodyThatIsNotJsonStillYieldsAnOpenAiError() {
        gateway();
        a.enqueue(Reply.status(500, "<html>Internal Server Error</html>"));
        b.enqueue(Reply.status(503, ""));
        JsonNode e = assertError(post(chatBody("chat", false)), 502);
        assertThat(e.get("message").asText()).contains("pa/model-a", "pb/model-b");
    }

    private void assertNothingSentUpstream() {
        assertThat(a.requestCount()).isZero();
        assertThat(b.requestCount()).isZero();
    }

    /** Provenance headers as a client sees them on a response, success or error. */
    static void assertProvenance(RawClient.Response r, String requestId, String provider, String model, String attemptsRegex) {
        assertThat(r.header("x-switchyard-request-id")).isEqualTo(requestId);
        assertThat(r.header("x-switchyard-provider")).isEqualTo(provider);
        assertThat(r.header("x-switchyard-model")).isEqualTo(model);
        assertThat(r.header("x-switchyard-attempts")).matches(attemptsRegex);
        assertThat(r.header("x-switchyard-overhead-ms")).matches("\\d+\\.\\d{3}");
    }
}
