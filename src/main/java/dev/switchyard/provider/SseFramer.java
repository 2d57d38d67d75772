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
        int len = buf.length();
        int eventStart = 0;
        int lineStart = 0;
        int i = 0;
        while (i < len) {
            byte b = buf.getByte(i);
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            int eolLen = 1;
            if (b == '\r') {
                if (i + 1 == len) break; // a CR at the end may be the first half of CRLF: wait for more bytes
                if (buf.getByte(i + 1) == '\n') eolLen = 2;
            }
            boolean blank = i == lineStart;
            i += eolLen;
            if (blank) {
                if (lineStart > eventStart) emit(buf, eventStart, lineStart, i);
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
    private void emit(Buffer buf, int start, int contentEnd, int end) {
        String event = null;
        Buffer data = null;
        int dataLines = 0;
        int ls = start;
        while (ls < contentEnd) {
            int le = ls;
            while (le < contentEnd && buf.getByte(le) != '\n' && buf.getByte(le) != '\r') le++;
            if (le > ls && buf.getByte(ls) != ':') {
                int colon = ls;
                while (colon < le && buf.getByte(colon) != ':') colon++;
                int vs = colon < le ? colon + 1 : le;
                if (vs < le && buf.getByte(vs) == ' ') vs++;
                int nameLen = colon - ls;
                if (nameLen == 4 && startsWith(buf, ls, "data")) {
                    if (dataLines++ == 0) {
                        data = buf.slice(vs, le);
                    } else {
                        data = Buffer.buffer().appendBuffer(data).appendByte((byte) '\n').appendBuffer(buf.slice(vs, le));
                    }
                } else if (nameLen == 5 && startsWith(buf, ls, "event")) {
                    event = buf.getString(vs, le, StandardCharsets.UTF_8.name());
                }
            }
            ls = le;
            if (ls < contentEnd && buf.getByte(ls) == '\r') ls++;
            if (ls < contentEnd && buf.getByte(ls) == '\n') ls++;
        }
        if (data != null) out.accept(new SseEvent(event, data, buf.slice(start, end)));
    }

    private static boolean startsWith(Buffer buf, int at, String ascii) {
        for (int k = 0; k < ascii.length(); k++) if (buf.getByte(at + k) != ascii.charAt(k)) return false;
        return true;
    }
}
