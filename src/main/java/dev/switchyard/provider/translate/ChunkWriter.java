package dev.switchyard.provider.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.model.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes OpenAI {@code chat.completion.chunk} events as SSE bytes for a translating stream. The parts that
 * never change within a stream (id, created, model) are serialised once in {@link #begin}; each chunk then
 * costs one small delta written by a single reused generator. One instance per stream; not thread-safe.
 */
public final class ChunkWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] CHOICE_OPEN = ascii("{\"index\":");
    private static final byte[] DELTA = ascii(",\"delta\":");
    private static final byte[] OPEN_TAIL = ascii(",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    private static final byte[] FINISH = ascii(",\"delta\":{},\"logprobs\":null,\"finish_reason\":");
    private static final byte[] CLOSE = ascii("}]}\n\n");
    private static final byte[] USAGE = ascii("],\"usage\":");
    private static final byte[] END = ascii("}\n\n");

    private final Out out = new Out();
    private final JsonGenerator g;
    /** {@code data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[} */
    private byte[] head;

    public ChunkWriter() {
        try {
            g = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null); // consecutive deltas share the generator: no separator between them
    }

    /** Fixes the stream's constant fields; call before any chunk. */
    public void begin(String id, long created, String model) {
        try {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion.chunk");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] obj = out.take(); // {…} without its closing brace, then the choices array opens
        byte[] prefix = ascii("data: ");
        byte[] tail = ascii(",\"choices\":[");
        head = new byte[prefix.length + obj.length - 1 + tail.length];
        System.arraycopy(prefix, 0, head, 0, prefix.length);
        System.arraycopy(obj, 0, head, prefix.length, obj.length - 1);
        System.arraycopy(tail, 0, head, prefix.length + obj.length - 1, tail.length);
    }

    public boolean begun() {
        return head != null;
    }

    /** The first chunk: {@code delta: {role: assistant, content: ""}}, as OpenAI opens every stream. */
    public Buffer role(int choice) {
        try {
            g.writeStartObject();
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return choiceChunk(choice);
    }

    public Buffer content(int choice, String text) {
        return stringDelta(choice, "content", text);
    }

    /** Reasoning text under {@code reasoning_content}, the field DeepSeek made the de-facto convention. */
    public Buffer reasoning(int choice, String text) {
        return stringDelta(choice, "reasoning_content", text);
    }

    /** A tool call's first chunk: index, id, type and name, with empty arguments. */
    public Buffer toolCallStart(int choice, int toolIndex, String id, String name) {
        try {
            g.writeStartObject();
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", toolIndex);
            g.writeStringField("id", id);
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", name);
            g.writeStringField("arguments", "");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return choiceChunk(choice);
    }

    /** A fragment of a tool call's arguments JSON string. */
    public Buffer toolCallArguments(int choice, int toolIndex, String fragment) {
        try {
            g.writeStartObject();
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", toolIndex);
            g.writeObjectFieldStart("function");
            g.writeStringField("arguments", fragment);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return choiceChunk(choice);
    }

    /** The chunk that closes a choice: an empty delta and its finish reason. */
    public Buffer finish(int choice, String finishReason) {
        try {
            g.writeString(finishReason);
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Buffer b = Buffer.buffer(head.length + 96).appendBytes(head).appendBytes(CHOICE_OPEN).appendString(Integer.toString(choice))
                .appendBytes(FINISH);
        out.appendTo(b);
        return b.appendBytes(CLOSE);
    }

    /** The usage chunk OpenAI sends last when asked: {@code choices: []} and {@code usage}. */
    public Buffer usage(Usage usage) {
        try {
            UsageJson.write(g, usage);
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Buffer b = Buffer.buffer(head.length + 192).appendBytes(head).appendBytes(USAGE);
        out.appendTo(b);
        return b.appendBytes(END);
    }

    private Buffer stringDelta(int choice, String field, String text) {
        try {
            g.writeStartObject();
            g.writeStringField(field, text);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return choiceChunk(choice);
    }

    /** Wraps the delta the generator just wrote into a complete chunk event. */
    private Buffer choiceChunk(int choice) {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Buffer b = Buffer.buffer(head.length + out.size() + 64).appendBytes(head).appendBytes(CHOICE_OPEN)
                .appendString(Integer.toString(choice)).appendBytes(DELTA);
        out.appendTo(b);
        return b.appendBytes(OPEN_TAIL);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A byte sink whose contents move into a Buffer without an intermediate array copy. */
    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void appendTo(Buffer b) {
            b.appendBytes(buf, 0, count);
            reset();
        }

        byte[] take() {
            byte[] r = toByteArray();
            reset();
            return r;
        }
    }
}
