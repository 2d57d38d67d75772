package dev.switchyard.provider;

import io.vertx.core.buffer.Buffer;

/**
 * One server-sent event.
 *
 * @param event     the {@code event:} field, or null (most OpenAI-style streams have none)
 * @param data      the joined {@code data:} lines
 * @param raw       the event's bytes exactly as received, terminator included — what a pass-through writes
 * @param scan      an array that holds {@code data} at {@code [dataStart, dataEnd)}: the framer's copy of what it
 *                  read, which it never changes. Lets a translator scan the data without copying it again (it
 *                  runs for every chunk of every stream). Null when the framer had to join lines.
 */
public record SseEvent(String event, Buffer data, Buffer raw, byte[] scan, int dataStart, int dataEnd) {
    public SseEvent(String event, Buffer data, Buffer raw) {
        this(event, data, raw, null, 0, 0);
    }

    /** The data's bytes at {@link #dataFrom()}..{@link #dataTo()}: the shared scan array (read only), or a copy. */
    public byte[] dataArray() {
        return scan != null ? scan : data.getBytes();
    }

    public int dataFrom() {
        return scan != null ? dataStart : 0;
    }

    public int dataTo() {
        return scan != null ? dataEnd : data.length();
    }
}
