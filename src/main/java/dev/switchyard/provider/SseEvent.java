package dev.switchyard.provider;

import io.vertx.core.buffer.Buffer;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null (most OpenAI-style streams have none)
 * @param data  the joined {@code data:} lines
 * @param raw   the event's bytes exactly as received, terminator included — what a pass-through writes
 */
public record SseEvent(String event, Buffer data, Buffer raw) {}
