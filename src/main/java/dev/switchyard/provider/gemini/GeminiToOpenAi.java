package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchyard.provider.gemini.GeminiWire.UsageMetadata;
import dev.switchyard.provider.translate.CompletionWriter;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mappings the response decoder and the stream translator share: finish reasons, usage, tool calls
 * and their synthesized ids.
 */
final class GeminiToOpenAi {
    private static final Set<String> FILTERED = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
            "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");

    /** Gemini's finish reason for a call it could not form; handled as a failed attempt, not an answer. */
    static final String MALFORMED_CALL = "MALFORMED_FUNCTION_CALL";

    private GeminiToOpenAi() {}

    /**
     * Gemini reports STOP when it stops to call functions; OpenAI says {@code tool_calls}. Reasons with
     * no OpenAI counterpart (LANGUAGE, OTHER, …) end the answer normally: {@code stop}.
     */
    static String finishReason(String gemini, boolean calledFunctions) {
        if (gemini == null) return null;
        if (FILTERED.contains(gemini)) return "content_filter";
        if (gemini.equals("MAX_TOKENS")) return "length";
        return calledFunctions ? "tool_calls" : "stop";
    }

    /**
     * Gemini's usage in OpenAI's terms. {@code promptTokenCount} already includes cached tokens; tool-use
     * prompt tokens are billed as input, so they join {@code prompt_tokens}. Thinking tokens are billed as
     * output but are not in {@code candidatesTokenCount}: they are added to {@code completion_tokens} and
     * named in {@code reasoning_tokens}, exactly as OpenAI counts its reasoning models.
     */
    static Usage usage(UsageMetadata u) {
        if (u == null) return null;
        return new Usage(u.prompt() + u.toolUsePrompt(), u.cached(), 0, u.candidates() + u.thoughts(), u.thoughts());
    }

    /** A whole tool call for a non-streaming answer. */
    static CompletionWriter.ToolCall toolCall(FunctionCall c, String id) {
        return new CompletionWriter.ToolCall(id, c.name(), c.argsJson(), extra(c));
    }

    /** One tool call of a stream delta, with its {@code index} within the choice. */
    static void writeToolCall(JsonGenerator g, FunctionCall c, String id, int index) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", index);
        g.writeStringField("id", id);
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.argsJson());
        g.writeEndObject();
        for (Map.Entry<String, JsonNode> e : extra(c).entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Gemini needs a call's thought signature back with the call; it travels as
     * {@code extra_content.google.thought_signature}, where Google's own OpenAI layer puts it.
     */
    private static Map<String, JsonNode> extra(FunctionCall c) {
        if (c.thoughtSignature() == null) return Map.of();
        ObjectNode ec = JsonNodeFactory.instance.objectNode();
        ec.putObject("google").put("thought_signature", c.thoughtSignature());
        return Map.of("extra_content", ec);
    }

    /**
     * A tool-call id: Gemini's own when it sent one, else derived from the response id and the call's
     * position in the answer, so the same answer always yields the same ids.
     */
    static String callId(FunctionCall c, String responseKey, int n) {
        if (c.id() != null && !c.id().isEmpty()) return c.id();
        return "call_" + responseKey + "_" + n;
    }

    /** The key ids are derived from: Gemini's response id, or a random one when it sent none. */
    static String responseKey(String responseId) {
        if (responseId != null && !responseId.isEmpty()) return responseId;
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
