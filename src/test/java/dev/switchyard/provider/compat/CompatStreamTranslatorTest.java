package dev.switchyard.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.Usage;
import dev.switchyard.provider.SseFramer;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompatStreamTranslatorTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"error\":{\"message\":\"x\"}}",
            "{ \"error\": {\"message\": \"x\"}}",
            "{\"object\":\"error\",\"message\":\"x\"}",
            "{\"object\": \"error\", \"message\": \"x\", \"code\": 500}",
            "{\n  \"object\" : \"error\" }",
    })
    void errorEventsInEitherShape(String data) {
        assertThat(CompatStreamTranslator.startsAsError(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"error\"}}]}",
            "{\"object\":\"chat.completion.chunk\",\"error\":null}",
            "{\"object\"}",
            "{\"objects\":\"error\"}",
            "{",
            "",
    })
    void ordinaryChunksAreNotErrors(String data) {
        assertThat(CompatStreamTranslator.startsAsError(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)).isFalse();
    }

    private static List<String> run(String sse) {
        List<String> out = new ArrayList<>();
        CompatStreamTranslator t = new CompatStreamTranslator(false);
        StreamSink sink = new StreamSink() {
            @Override
            public void chunk(Buffer b, boolean content) {
                out.add("chunk content=" + content);
            }

            @Override
            public void usage(Usage usage) {
                out.add("usage " + usage.outputTokens());
            }

            @Override
            public void error(UpstreamFailure f) {
                out.add("error " + f.kind() + " " + f.label() + ": " + f.message());
            }

            @Override
            public void done(String finishReason) {
                out.add("done " + finishReason);
            }
        };
        SseFramer f = new SseFramer(e -> t.onEvent(e, sink));
        f.feed(Buffer.buffer(sse));
        f.end();
        return out;
    }

    @Test
    void onlyTheFirstContentChunkCommits() {
        assertThat(run("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
                + "data: [DONE]\n\n")).containsExactly(
                "chunk content=false", "chunk content=true", "chunk content=false", "chunk content=false", "done length");
    }

    @Test
    void emptyDataEventsAreSkippedAndGarbageIsAnError() {
        assertThat(run("data:\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: oops\n\n")).containsExactly(
                "chunk content=true", "error FAILOVER malformed_chunk: upstream sent a malformed stream chunk (4 bytes)");
    }

    @Test
    void inStreamErrorNamesTheUpstreamMessage() {
        assertThat(run("data: {\"object\": \"error\", \"message\": \"CUDA out of memory\", \"code\": 500}\n\n")).containsExactly(
                "error TRANSIENT stream_error: in-stream error: CUDA out of memory");
    }
}
