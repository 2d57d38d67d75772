package dev.switchyard.provider.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Writes a translated non-streaming answer as OpenAI's {@code chat.completion} object. */
public final class CompletionWriter {
    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    /**
     * One function call the model made; {@code arguments} is the JSON text OpenAI clients parse, {@code extra}
     * further members of the call, written as given (provider data a client must send back with the call).
     */
    public record ToolCall(String id, String name, String arguments, Map<String, JsonNode> extra) {
        public ToolCall(String id, String name, String arguments) {
            this(id, name, arguments, Map.of());
        }
    }

    /**
     * One choice.
     *
     * @param content   the answer text, or null (OpenAI's convention when there are only tool calls)
     * @param reasoning visible reasoning for {@code reasoning_content}, or null
     * @param extra     further message fields, written as given (provider data a client must send back)
     */
    public record Choice(int index, String content, String reasoning, List<ToolCall> toolCalls, String finishReason,
            Map<String, JsonNode> extra) {}

    private CompletionWriter() {}

    public static Buffer write(String id, long created, String model, List<Choice> choices, Usage usage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            g.writeArrayFieldStart("choices");
            for (Choice c : choices) writeChoice(g, c);
            g.writeEndArray();
            if (usage != null) {
                g.writeFieldName("usage");
                UsageJson.write(g, usage);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }

    private static void writeExtra(JsonGenerator g, Map<String, JsonNode> extra) throws IOException {
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
    }

    private static void writeChoice(JsonGenerator g, Choice c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", c.index());
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        g.writeStringField("content", c.content());
        g.writeNullField("refusal"); // OpenAI's shape: a refusal is reported through finish_reason content_filter
        if (c.reasoning() != null) g.writeStringField("reasoning_content", c.reasoning());
        if (!c.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall t : c.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", t.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", t.name());
                g.writeStringField("arguments", t.arguments());
                g.writeEndObject();
                writeExtra(g, t.extra());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        writeExtra(g, c.extra());
        g.writeEndObject();
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", c.finishReason());
        g.writeEndObject();
    }
}
