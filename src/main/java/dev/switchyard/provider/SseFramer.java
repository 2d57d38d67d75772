package dev.switchyard.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into server-sent events, whatever the chunk boundaries: works on the bytes
 * (no String splitting, no regex), keeps only the unterminated tail between calls, and hands out
 * slices of the received buffers rather than copies. Accepts LF, CRLF and CR line ends, {@code data:}
 * with or without the space, and skips comment lines ({@code : keep-alive}).
 */
public final class SseFramer {
    private static final byte[] DATA = Bytes.ascii("data");
    private static final byte[] EVENT = Bytes.ascii("event");

    private final Consumer<SseEvent> out;
    private Buffer pending;

    public SseFramer(Consumer<SseEvent> out) {
        this.out = out;
    }

    public void feed(Buffer chunk) {
        Buffer buf;
        if (pending == null || pending.length() == 0) {
            buf = chunk;
        } else {
            buf = Buffer.buffer(pending.length() + chunk.length()).appendBuffer(pending).appendBuffer(chunk);
        }
        // One copy to scan: an array loop is far cheaper than a bounds-checked Buffer.getByte per byte.
        // Events are still handed out as slices of buf.
        byte[] bytes = buf.getBytes();
        int len = bytes.length;
        int eventStart = 0;
        int lineStart = 0;
        int i = 0;
        while (i < len) {
            byte b = bytes[i];
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            int eolLen = 1;
            if (b == '\r') {
                if (i + 1 == len) break; // a CR at the end may be the first half of CRLF: wait for more bytes
                if (bytes[i + 1] == '\n') eolLen = 2;
            }
            boolean blank = i == lineStart;
            i += eolLen;
            if (blank) {
                if (lineStart > eventStart) emit(buf, bytes, eventStart, lineStart, i);
                eventStart = i;
            }
            lineStart = i;
        }
        pending = eventStart < len ? buf.slice(eventStart, len).copy() : null;
    }

    /** End of input: an event that lacked its final blank line still counts. */
    public void end() {
        if (pending != null && pending.length() > 0) {
            Buffer rest = pending.copy().appendString("\n\n");
            pending = null;
            feed(rest);
        }
    }

    /** Parses the lines of one event {@code [start, contentEnd)}; {@code end} includes the terminating blank line. */
    private void emit(Buffer buf, byte[] bytes, int start, int contentEnd, int end) {
        String event = null;
        Buffer data = null;
        int dataLines = 0;
        int ls = start;
        while (ls < contentEnd) {
            int le = ls;
            while (le < contentEnd && bytes[le] != '\n' && bytes[le] != '\r') le++;
            if (le > ls && bytes[ls] != ':') {
                int colon = ls;
                while (colon < le && bytes[colon] != ':') colon++;
                int vs = colon < le ? colon + 1 : le;
                if (vs < le && bytes[vs] == ' ') vs++;
                int nameLen = colon - ls;
                if (nameLen == 4 && Bytes.startsWith(bytes, ls, le, DATA)) {
                    if (dataLines++ == 0) {
                        data = buf.slice(vs, le);
                    } else {
                        data = Buffer.buffer().appendBuffer(data).appendByte((byte) '\n').appendBuffer(buf.slice(vs, le));
                    }
                } else if (nameLen == 5 && Bytes.startsWith(bytes, ls, le, EVENT)) {
                    event = new String(bytes, vs, le - vs, StandardCharsets.UTF_8);
                }
            }
            ls = le;
            if (ls < contentEnd && bytes[ls] == '\r') ls++;
            if (ls < contentEnd && bytes[ls] == '\n') ls++;
        }
        if (data != null) out.accept(new SseEvent(event, data, buf.slice(start, end)));
    }
}
