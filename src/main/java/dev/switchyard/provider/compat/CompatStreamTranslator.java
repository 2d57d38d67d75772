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
    private static final String USAGE = "\"usage\"";
    private static final String X_GROQ = "\"x_groq\"";
    private static final String FINISH = "\"finish_reason\"";
    private static final String USAGE_NULL = ",\"usage\":null";

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
        byte[] data = event.data().getBytes();
        int end = data.length;
        int start = Bytes.skipSpace(data, 0, end);
        if (start == end) return; // an empty data line carries nothing (some servers use it as a keep-alive)
        if (Bytes.startsWith(data, start, end, DONE)) {
            sink.done(finishReason);
            return;
        }
        if (!looksLikeObject(data, start, end)) {
            // not a JSON object: typically the last chunk cut off mid-line when the connection dropped, or an
            // HTML error page. Forwarding it would hand the client bytes its SDK cannot parse.
            sink.error(malformed("upstream sent a malformed stream chunk (" + end + " bytes)"));
            return;
        }
        if (startsAsError(data, start, end)) {
            ApiError e = OpenAiWire.error(event.data(), 502);
            String msg = e == null ? "upstream sent an error event" : e.message();
            sink.error(new UpstreamFailure(FailureKind.TRANSIENT, 0, "stream_error", null, null, "in-stream error: " + msg));
            return;
        }
        // OpenAI repeats "finish_reason":null (and "usage":null when usage was asked for) in every chunk,
        // so a bare key search would parse them all: look at the value's first character instead.
        String text = Bytes.latin1(data);
        boolean interesting = !contentSeen
                || Bytes.hasMemberStartingWith(text, start, USAGE, '{')
                || Bytes.hasMemberStartingWith(text, start, FINISH, '"')
                || text.indexOf(X_GROQ, start) >= 0;
        Buffer out = event.raw();
        boolean content = false;
        if (interesting) {
            OpenAiWire.Facts f = OpenAiWire.scan(data);
            if (!f.wellFormed) {
                sink.error(malformed("upstream sent a stream event that is not a JSON object"));
                return;
            }
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
        if (hideUsage && text.indexOf(USAGE_NULL, start) >= 0) out = withoutUsageNull(out);
        sink.chunk(out, content);
    }

    /**
     * The cheap check for chunks not parsed once content flows: starts with '{' and ends with '}'. It catches
     * what breaks in practice — a chunk cut short, an HTML error page — without parsing every chunk.
     */
    private static boolean looksLikeObject(byte[] data, int start, int end) {
        int last = end - 1;
        while (last > start && isSpace(data[last])) last--;
        return data[start] == '{' && data[last] == '}';
    }

    /**
     * An error event, nested ({@code {"error":…}}) or flat as older vLLM and Mistral send it
     * ({@code {"object": "error", …}}), judged from its first member only so ordinary chunks cost nothing.
     * Python servers put a space after the colon, so white space is allowed between the tokens.
     */
    static boolean startsAsError(byte[] data, int start, int end) {
        if (start >= end || data[start] != '{') return false;
        int i = Bytes.skipSpace(data, start + 1, end);
        if (Bytes.startsWith(data, i, end, ERROR_NAME)) return true;
        if (!Bytes.startsWith(data, i, end, OBJECT_NAME)) return false;
        i = Bytes.skipSpace(data, i + OBJECT_NAME.length, end);
        if (i >= end || data[i] != ':') return false;
        return Bytes.startsWith(data, Bytes.skipSpace(data, i + 1, end), end, ERROR_NAME);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    @Override
    public void onEnd(StreamSink sink) {
        // Some servers (Ollama, proxies) end without [DONE]; a finish reason proves the answer is whole.
        if (finishReason != null) sink.done(finishReason);
    }

    /** The event without the {@code ,"usage":null} members that asking for usage added to it. */
    private static Buffer withoutUsageNull(Buffer raw) {
        byte[] in = raw.getBytes();
        String text = Bytes.latin1(in);
        Buffer out = Buffer.buffer(in.length);
        int pos = 0;
        int at;
        while ((at = text.indexOf(USAGE_NULL, pos)) >= 0) {
            out.appendBytes(in, pos, at - pos);
            pos = at + USAGE_NULL.length();
        }
        return out.appendBytes(in, pos, in.length - pos);
    }
}
