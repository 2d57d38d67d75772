package dev.switchyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.RawClient;
import dev.switchyard.testkit.RecordedRequest;
import dev.switchyard.testkit.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Same format in, same format out: the upstream receives the client's bytes, not a re-serialisation —
 * odd whitespace, key order, unicode escapes, number spellings and unknown fields all survive; only the
 * {@code model} value changes (and, for streams, usage is asked for by one added member). The answer
 * comes back just as untouched.
 */
class FidelityE2ETest extends E2ESupport {
    /** Everything a re-serialiser would normalise away. */
    private static final String ODD_BODY = "{ \"messages\" : [ {\"content\":\"caf\\u00e9 \\ud83d\\ude00 naïve \\\"q\\\"\\t\\/\" ,"
            + " \"role\":\"user\"} ],\n\t\"x_vendor_ext\": {\"keep\": [1, 2.50, 1e3, true, null], \"nested\":{}},\n"
            + "  \"temperature\":0.70 ,  \"model\"  :  \"chat\"  ,\r\n  \"logit_bias\": {\"50256\": -100}%s }";

    @Test
    void nonStreamBodyReachesUpstreamByteForByteExceptTheModel() {
        gateway();
        a.enqueue(Reply.text("ok"));
        String body = ODD_BODY.formatted("");

        assertThat(post(body).status()).isEqualTo(200);

        RecordedRequest up = a.onlyRequest();
        String want = body.replace("\"model\"  :  \"chat\"", "\"model\"  :  \"model-a\"");
        assertThat(up.bodyText()).isEqualTo(want);
        assertThat(up.body()).isEqualTo(want.getBytes(StandardCharsets.UTF_8));
        assertThat(up.header("content-type")).isEqualTo("application/json");
        assertThat(up.header("authorization")).isEqualTo("Bearer " + PA_KEY);
    }

    @Test
    void streamWithoutIncludeUsageGainsExactlyTheStreamOptionsMember() {
        gateway();
        a.enqueue(Reply.text("ok"));
        String body = ODD_BODY.formatted(", \"stream\" : true");

        assertThat(post(body).status()).isEqualTo(200);

        String want = "{\"stream_options\":{\"include_usage\":true}," + body.substring(1)
                .replace("\"model\"  :  \"chat\"", "\"model\"  :  \"model-a\"");
        assertThat(a.onlyRequest().bodyText()).isEqualTo(want);
    }

    @Test
    void streamThatAlreadyAsksForUsageIsForwardedUnchangedExceptTheModel() {
        gateway();
        a.enqueue(Reply.text("ok"));
        String body = ODD_BODY.formatted(", \"stream\":true, \"stream_options\" : { \"include_usage\" : true }");

        assertThat(post(body).status()).isEqualTo(200);

        assertThat(a.onlyRequest().bodyText()).isEqualTo(body.replace("\"model\"  :  \"chat\"", "\"model\"  :  \"model-a\""));
    }

    @Test
    void streamThatDeclinesUsageIsAskedForItAndStillSeesNone() throws Exception {
        gateway();
        a.enqueue(Reply.text("o", "k"));
        String body = "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        String answer;
        try (RawClient.OpenStream s = raw.openStream("/v1/chat/completions", body, withAuth())) {
            answer = s.readAll();
        }

        assertThat(a.onlyRequest().bodyText()).isEqualTo(body.replace("\"include_usage\":false", "\"include_usage\":true")
                .replace("\"chat\"", "\"model-a\""));
        assertThat(answer).doesNotContain("usage").contains("\"content\":\"o\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void nonStreamAnswerReachesTheClientByteForByte() {
        gateway();
        String answer = OpenAiBodies.chatCompletion("model-a", "caf\u00e9 \uD83D\uDE00")
                .replace("{\"id\"", "{ \"x_provider_extra\" : [1, 2.50],  \"id\"");
        a.enqueue(Reply.json(answer));

        RawClient.Response r = post(chatBody("chat", false));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(answer.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void embeddingsBodyIsForwardedByteForByteExceptTheModel() {
        gateway();
        a.enqueue(Reply.json(OpenAiBodies.embeddings("embed-a", new double[] {0.5})));
        String body = "{\"input\" : [\"caf\\u00e9\", \"x\"],\n \"model\":\"embed\", \"dimensions\":256, \"x_extra\":{\"a\":[]}}";

        assertThat(raw.post("/v1/embeddings", body, withAuth()).status()).isEqualTo(200);

        assertThat(a.onlyRequest().bodyText()).isEqualTo(body.replace("\"embed\"", "\"embed-a\""));
    }
}
