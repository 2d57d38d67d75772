package dev.switchyard.provider.compat;

import dev.switchyard.model.ApiError;
import dev.switchyard.provider.Bytes;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import io.vertx.core.buffer.Buffer;

/**
 * The pass-through "translator" for OpenAI-format streams: forwards each event's bytes as received and
 * only taps them — for the usage chunk, the finish reason, in-band errors and (until the first content
 * token) whether a chunk carries content. Chunks are parsed only when a cheap byte search says they
 * might hold something of interest.
 */
final class CompatStreamTranslator implements StreamTranslator {
    private static final byte[] DONE = Bytes.ascii("[DONE]");
    private static final byte[] ERROR_NAME = Bytes.ascii("\"error\"");
    private static final byte[] OBJECT_NAME = Bytes.ascii("\"object\"");
    private static final byte[] USAGE = Bytes.ascii("\"usage\"");
    private static final byte[] X_GROQ = Bytes.ascii("\"x_groq\"");
    private static final byte[] FINISH = Bytes.ascii("\"finish_reason\"");
    private static final byte[] USAGE_NULL = Bytes.ascii(",\"usage\":null");

    /** The gateway asked for usage the client did not want: hide it again. */
    private final boolean hideUsage;
    private boolean contentSeen;
    private String finishReason;

    CompatStreamTranslator(boolean hideUsage) {
        this.hideUsage = hideUsage;
    }

    /** A chunk the client's parser could not read: never forwarded; before the first token it fails over. */
    static UpstreamFailure malformed(String why) {
        return new UpstreamFailure(FailureKind.FAILOVER, 0, "malformed_chunk", null, null, why);
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) {
        Buffer data = event.data();
        int start = Bytes.skipSpace(data, 0);
        if (start == data.length()) return; // an empty data line carries nothing (some servers use it as a keep-alive)
        if (Bytes.startsWith(data, start, DONE)) {
            sink.done(finishReason);
            return;
        }
        if (data.getByte(start) != '{' || lastNonSpace(data) != '}') {
            // not a JSON object: typically the last chunk cut off mid-line when the connection dropped.
            // Forwarding it would hand the client bytes its SDK cannot parse; failing keeps the error clean.
            sink.error(malformed("upstream sent a malformed stream chunk (" + data.length() + " bytes)"));
            return;
        }
        if (startsAsError(data, start)) {
            ApiError e = OpenAiWire.error(data, 502);
            String msg = e == null ? "upstream sent an error event" : e.message();
            sink.error(new UpstreamFailure(FailureKind.TRANSIENT, 0, "stream_error", null, null, "in-stream error: " + msg));
            return;
        }
        boolean interesting = !contentSeen
                || Bytes.indexOf(data, USAGE, start) >= 0
                || Bytes.indexOf(data, FINISH, start) >= 0
                || Bytes.indexOf(data, X_GROQ, start) >= 0;
        Buffer out = event.raw();
        boolean content = false;
        OpenAiWire.Facts f = interesting ? OpenAiWire.scan(data) : null;
        if (f != null ? !f.wellFormed : !looksLikeObject(data, start)) {
            // Forwarding it would break the client's parser mid-answer; before the first token it fails over instead.
            sink.error(malformed("upstream sent a stream event that is not a JSON object"));
            return;
        }
        if (f != null) {
            if (f.usage != null) {
                sink.usage(f.usage);
                if (hideUsage && f.emptyChoices) return;
            }
            if (f.finishReason != null) finishReason = f.finishReason;
            if (f.content && !contentSeen) {
                contentSeen = true;
                content = true;
            }
        }
        if (hideUsage && Bytes.indexOf(out, USAGE_NULL, 0) >= 0) out = strip(out, USAGE_NULL);
        sink.chunk(out, content);
    }

    /**
     * The cheap check for chunks not parsed once content flows: starts with '{' and ends with '}'. It catches
     * what breaks in practice — a chunk cut short, an HTML error page — without parsing every chunk.
     */
    private static boolean looksLikeObject(Buffer data, int start) {
        int end = data.length() - 1;
        while (end > start && isSpace(data.getByte(end))) end--;
        return data.getByte(start) == '{' && data.getByte(end) == '}';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    @Override
    public void onEnd(StreamSink sink) {
        // Some servers (Ollama, proxies) end without [DONE]; a finish reason proves the answer is whole.
        if (finishReason != null) sink.done(finishReason);
    }

    /**
     * An error event, nested ({@code {"error":…}}) or flat as older vLLM and Mistral send it
     * ({@code {"object": "error", …}}), judged from its first member only so ordinary chunks cost nothing.
     * Python servers put a space after the colon, so white space is allowed between the tokens.
     */
    static boolean startsAsError(Buffer data, int start) {
        if (start >= data.length() || data.getByte(start) != '{') return false;
        int i = Bytes.skipSpace(data, start + 1);
        if (Bytes.startsWith(data, i, ERROR_NAME)) return true;
        if (!Bytes.startsWith(data, i, OBJECT_NAME)) return false;
        i = Bytes.skipSpace(data, i + OBJECT_NAME.length);
        if (i >= data.length() || data.getByte(i) != ':') return false;
        return Bytes.startsWith(data, Bytes.skipSpace(data, i + 1), ERROR_NAME);
    }

    private static byte lastNonSpace(Buffer data) {
        int i = data.length() - 1;
        while (i > 0 && (data.getByte(i) == ' ' || data.getByte(i) == '\n' || data.getByte(i) == '\r' || data.getByte(i) == '\t')) i--;
        return data.getByte(i);
    }

    private static Buffer strip(Buffer buf, byte[] needle) {
        Buffer out = Buffer.buffer(buf.length());
        int pos = 0;
        int at;
        while ((at = Bytes.indexOf(buf, needle, pos)) >= 0) {
            out.appendBuffer(buf, pos, at - pos);
            pos = at + needle.length;
        }
        return out.appendBuffer(buf, pos, buf.length() - pos);
    }
}
