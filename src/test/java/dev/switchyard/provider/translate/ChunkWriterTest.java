package dev.switchyard.provider.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.Usage;
import org.junit.jupiter.api.Test;

class ChunkWriterTest {
    private static final String HEAD = "data: {\"id\":\"msg_1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m\\\"x\",\"choices\":[";

    @Test
    void writesCompleteSseEventsWithTheSharedPrefix() {
        ChunkWriter w = new ChunkWriter();
        w.begin("msg_1", 7, "m\"x");
        assertThat(w.role(0).toString()).isEqualTo(HEAD
                + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        assertThat(w.content(0, "a\nb").toString()).isEqualTo(HEAD
                + "{\"index\":0,\"delta\":{\"content\":\"a\\nb\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        assertThat(w.toolCallStart(1, 2, "t", "f").toString()).isEqualTo(HEAD
                + "{\"index\":1,\"delta\":{\"tool_calls\":[{\"index\":2,\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        assertThat(w.finish(0, "stop").toString()).isEqualTo(HEAD
                + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        assertThat(w.usage(new Usage(10, 4, 0, 3, 1)).toString()).isEqualTo(HEAD
                + "],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3,\"total_tokens\":13,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}\n\n");
        // several members in one delta, closing the choice (Gemini's events carry text and a finish together)
        assertThat(w.delta(1, g -> {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "x");
        }, "length").toString()).isEqualTo(HEAD
                + "{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"x\"},\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n");
        assertThat(w.toolCallArguments(0, 2, "{\"a\"").toString()).isEqualTo(HEAD
                + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":2,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
}
