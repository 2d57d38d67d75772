package dev.switchyard.provider.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    // a factory with a codec, so delta writers can write provider data they hold as trees
    private static final JsonFactory JSON = new ObjectMapper().getFactory();
    private static final byte[] CHOICE_OPEN = ascii("{\"index\":");
    private static final byte[] DELTA = ascii(",\"delta\":");
    private static final byte[] OPEN_TAIL = ascii(",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    private static final byte[] FINISH = ascii(",\"logprobs\":null,\"finish_reason\":");
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
        return delta(choice, g -> {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
        }, null);
    }

    public Buffer content(int choice, String text) {
        return delta(choice, g -> g.writeStringField("content", text), null);
    }

    /** Reasoning text under {@code reasoning_content}, the field DeepSeek made the de-facto convention. */
    public Buffer reasoning(int choice, String text) {
        return delta(choice, g -> g.writeStringField("reasoning_content", text), null);
    }

    /** A tool call's first chunk: index, id, type and name, with empty arguments. */
    public Buffer toolCallStart(int choice, int toolIndex, String id, String name) {
        return delta(choice, g -> toolCall(g, toolIndex, id, name, ""), null);
    }

    /** A fragment of a tool call's arguments JSON string. */
    public Buffer toolCallArguments(int choice, int toolIndex, String fragment) {
        return delta(choice, g -> toolCall(g, toolIndex, null, null, fragment), null);
    }

    /** The chunk that closes a choice: an empty delta and its finish reason. */
    public Buffer finish(int choice, String finishReason) {
        return delta(choice, g -> { }, finishReason);
    }

    /** Writes the members of one {@code delta} object. */
    @FunctionalInterface
    public interface DeltaMembers {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * One chunk of one choice, the shape every other method here builds on: the delta {@code members} write (any
     * mix of role, content, reasoning and tool calls, for providers whose events carry several at once), and
     * {@code finish_reason} (null while the choice goes on).
     */
    public Buffer delta(int choice, DeltaMembers members, String finishReason) {
        try {
            g.writeStartObject();
            members.write(g);
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Buffer b = Buffer.buffer(head.length + out.size() + 96).appendBytes(head).appendBytes(CHOICE_OPEN)
                .appendString(Integer.toString(choice)).appendBytes(DELTA);
        out.appendTo(b);
        if (finishReason == null) return b.appendBytes(OPEN_TAIL);
        try {
            g.writeString(finishReason);
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.appendBytes(FINISH);
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

    /** {@code tool_calls: [{index, id?, type?, function: {name?, arguments}}]}: id and name only on a call's first chunk. */
    private static void toolCall(JsonGenerator g, int toolIndex, String id, String name, String arguments) throws IOException {
        g.writeArrayFieldStart("tool_calls");
        g.writeStartObject();
        g.writeNumberField("index", toolIndex);
        if (id != null) {
            g.writeStringField("id", id);
            g.writeStringField("type", "function");
        }
        g.writeObjectFieldStart("function");
        if (name != null) g.writeStringField("name", name);
        g.writeStringField("arguments", arguments);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
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
