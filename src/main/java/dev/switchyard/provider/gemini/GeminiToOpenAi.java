package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchyard.provider.gemini.GeminiWire.UsageMetadata;
import java.io.IOException;
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

    static void writeUsage(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", u.inputTokens());
        g.writeNumberField("completion_tokens", u.outputTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", u.cachedTokens());
        g.writeEndObject();
        g.writeObjectFieldStart("completion_tokens_details");
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** One OpenAI tool call; {@code index} is written for stream deltas only (pass a negative one otherwise). */
    static void writeToolCall(JsonGenerator g, FunctionCall c, String id, int index) throws IOException {
        g.writeStartObject();
        if (index >= 0) g.writeNumberField("index", index);
        g.writeStringField("id", id);
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.argsJson());
        g.writeEndObject();
        if (c.thoughtSignature() != null) {
            // Gemini needs the signature back with the call; this is where Google's OpenAI layer puts it
            g.writeObjectFieldStart("extra_content");
            g.writeObjectFieldStart("google");
            g.writeStringField("thought_signature", c.thoughtSignature());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
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
