package dev.switchyard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit's own contract: what the mock records, plays and notices. */
@Timeout(60)
class MockUpstreamTest {
    private MockUpstream mock;
    private RawClient client;

    @BeforeEach
    void start() {
        mock = MockUpstream.start();
        client = new RawClient("http://127.0.0.1:" + mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        mock.close();
    }

    @Test
    void recordsExactBytesHeadersAndPathAndPlaysTheQueueThenTheFallback() throws Exception {
        mock.enqueue(Reply.json("{\"n\":1}"), Reply.error(429, "rate_limit_error", null, "slow").header("retry-after", "3"))
                .always(Reply.status(201, "{\"n\":3}"));
        String body = "{ \"model\" : \"m\",\t\"x\":\"caf\\u00e9\" }";

        RawClient.Response r1 = client.post("/v1/chat/completions", body, "x-custom", "v1");
        RawClient.Response r2 = client.post("/v1/chat/completions", body);
        RawClient.Response r3 = client.post("/v1/embeddings", "{}");

        assertThat(r1.status()).isEqualTo(200);
        assertThat(r1.text()).isEqualTo("{\"n\":1}");
        assertThat(r2.status()).isEqualTo(429);
        assertThat(r2.header("retry-after")).isEqualTo("3");
        assertThat(r2.json().at("/error/message").asText()).isEqualTo("slow");
        assertThat(r3.status()).isEqualTo(201);
        RecordedRequest first = mock.request(0).get(5, TimeUnit.SECONDS);
        assertThat(first.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(first.path()).isEqualTo("/v1/chat/completions");
        assertThat(first.header("X-Custom")).isEqualTo("v1");
        assertThat(first.model()).isEqualTo("m");
        assertThat(first.replied()).isDone();
        assertThat(first.clientGone()).isNotDone();
        assertThat(mock.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v1/chat/completions", "/v1/chat/completions", "/v1/embeddings");
    }

    @Test
    void unscriptedRequestsFailLoudly() {
        RawClient.Response r = client.post("/v1/chat/completions", "{\"model\":\"m\"}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().at("/error/message").asText()).contains("no reply scripted");
    }

    @Test
    void streamsFramesWithGapsThenDone() throws Exception {
        mock.enqueue(Reply.sse("{\"a\":1}", "{\"a\":2}").gap(Duration.ofMillis(5)));
        try (RawClient.OpenStream s = client.openStream("/v1/chat/completions", "{}")) {
            assertThat(s.header("content-type")).isEqualTo("text/event-stream");
            assertThat(s.readAll()).isEqualTo("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n");
        }
        assertThat(mock.onlyRequest().replied().get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void dropsAfterNFramesAndEndsWithInStreamErrors() throws Exception {
        mock.enqueue(Reply.sse("{\"a\":1}", "{\"a\":2}").dropAfter(1),
                Reply.sse("{\"a\":1}", "{\"a\":2}").errorAfter(1, "{\"error\":{\"message\":\"x\"}}"));
        try (RawClient.OpenStream s = client.openStream("/v1/chat/completions", "{}")) {
            assertThat(s.nextEvent()).isEqualTo("data: {\"a\":1}");
            assertThatThrownBy(s::readAll).isInstanceOf(IOException.class);
        }
        try (RawClient.OpenStream s = client.openStream("/v1/chat/completions", "{}")) {
            assertThat(s.readAll()).isEqualTo("data: {\"a\":1}\n\ndata: {\"error\":{\"message\":\"x\"}}\n\n");
        }
        assertThat(mock.requests()).allSatisfy(r -> assertThat(r.clientGone()).isNotDone());
    }

    @Test
    void dropBeforeTheFirstByteFailsTheClient() {
        mock.enqueue(Reply.drop());
        assertThatThrownBy(() -> client.post("/v1/chat/completions", "{}")).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void noticesAClientThatHangsUpOnAPausedStream() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        mock.enqueue(Reply.sse("{\"a\":1}", "{\"a\":2}").pauseBefore(1, gate));
        RawClient.OpenStream s = client.openStream("/v1/chat/completions", "{}");
        assertThat(s.nextEvent()).isEqualTo("data: {\"a\":1}");
        s.close();
        mock.onlyRequest().clientGone().get(10, TimeUnit.SECONDS);
        gate.complete(null); // the mock must not write to the closed connection
    }

    @Test
    void noticesAClientThatGivesUpOnAHang() throws Exception {
        mock.enqueue(Reply.hang());
        var call = client.postAsync("/v1/chat/completions", "{}");
        RecordedRequest r = mock.request(0).get(10, TimeUnit.SECONDS);
        call.cancel(true);
        r.clientGone().get(10, TimeUnit.SECONDS);
        assertThat(r.replied()).isNotDone();
    }

    @Test
    void delayedAndDynamicRepliesDecideFromTheRequest() {
        mock.always(Reply.after(Duration.ofMillis(5), Reply.dynamic(r -> Reply.json("{\"echo\":\"" + r.model() + "\"}"))));
        assertThat(client.post("/v1/chat/completions", "{\"model\":\"abc\"}").text()).isEqualTo("{\"echo\":\"abc\"}");
    }

    @Test
    void otherPathsAre404AndConsumeNoReply() {
        mock.enqueue(Reply.json("{}"));
        assertThat(client.get("/v1/models").status()).isEqualTo(404);
        assertThat(client.post("/v1/chat/completions", "{}").status()).isEqualTo(200);
    }
}
