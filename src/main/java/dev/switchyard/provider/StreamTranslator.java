package dev.switchyard.provider;

/** Turns one upstream stream into OpenAI chunks. Stateful: one instance per attempt. */
public interface StreamTranslator {
    void onEvent(SseEvent event, StreamSink sink);

    /**
     * The upstream closed the stream. A translator calls {@link StreamSink#done} here only if the answer
     * is known to be complete (some providers end without a terminator after a finish reason); otherwise
     * the relay treats the close as a broken stream.
     */
    void onEnd(StreamSink sink);
}
