package dev.switchyard.provider.azure;

import dev.switchyard.provider.Bytes;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.compat.OpenAiWire;

/**
 * Azure's one stream deviation: before the answer it may send a chunk with {@code choices: []} and only
 * {@code prompt_filter_results} (with an empty {@code id}/{@code model} and {@code created: 0}). It is
 * not content, and a client that reads {@code choices[0]} of every chunk would break on it, so it is
 * dropped; everything else goes to the compat pass-through translator unchanged. Only events that
 * mention {@code prompt_filter_results} are parsed.
 */
final class AzureStreamFilter implements StreamTranslator {
    private static final byte[] PROMPT_FILTER = Bytes.ascii("\"prompt_filter_results\"");

    private final StreamTranslator inner;

    AzureStreamFilter(StreamTranslator inner) {
        this.inner = inner;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) {
        if (Bytes.indexOf(event.data(), PROMPT_FILTER, 0) >= 0) {
            OpenAiWire.Facts f = OpenAiWire.scan(event.data());
            if (f.emptyChoices && f.usage == null) return;
        }
        inner.onEvent(event, sink);
    }

    @Override
    public void onEnd(StreamSink sink) {
        inner.onEnd(sink);
    }
}
