package dev.switchyard.provider;

import dev.switchyard.model.Usage;
import io.vertx.core.buffer.Buffer;

/** Where a {@link StreamTranslator} puts what it makes of the upstream's events. */
public interface StreamSink {
    /**
     * An OpenAI {@code chat.completion.chunk} as complete SSE bytes ({@code data: …\n\n}).
     *
     * @param content true when it carries content (text, tool call, reasoning): the first such chunk
     *                commits the stream to this upstream
     */
    void chunk(Buffer sse, boolean content);

    void usage(Usage usage);

    /** The upstream reported an error inside the stream. */
    void error(UpstreamFailure failure);

    /** The upstream said the answer is complete. */
    void done(String finishReason);
}
