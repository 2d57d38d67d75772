package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.gemini.GeminiWire.Candidate;
import dev.switchyard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchyard.provider.gemini.GeminiWire.Part;
import dev.switchyard.provider.gemini.GeminiWire.Reply;
import dev.switchyard.provider.gemini.GeminiWire.Text;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A complete Gemini {@code GenerateContentResponse} → an OpenAI {@code chat.completion}: one choice per
 * candidate, thought parts as {@code reasoning_content}, function calls as {@code tool_calls}, and a
 * blocked prompt (no candidates, {@code promptFeedback.blockReason}) as an empty answer with
 * {@code finish_reason: content_filter}.
 */
final class GeminiResponseDecoder {
    private GeminiResponseDecoder() {}

    static DecodedResponse decode(Buffer body, InboundRequest request) {
        Reply r = GeminiWire.reply(body);
        if (r.error() != null) {
            throw new ApiError(502, "api_error", "upstream_error", null, "Gemini answered 200 with an error: " + r.error().message()).exception();
        }
        String key = GeminiToOpenAi.responseKey(r.responseId());
        Usage usage = GeminiToOpenAi.usage(r.usage());
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        String firstFinish;
        try (JsonGenerator g = GeminiWire.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", "chatcmpl-" + key);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", System.currentTimeMillis() / 1000);
            g.writeStringField("model", r.modelVersion() != null ? r.modelVersion() : request.model());
            g.writeArrayFieldStart("choices");
            if (r.candidates().isEmpty()) {
                // Gemini sends no candidate when it blocks the prompt itself
                firstFinish = r.blockReason() != null ? "content_filter" : "stop";
                choice(g, 0, null, null, List.of(), key, 0, firstFinish);
            } else {
                firstFinish = null;
                int calls = 0;
                for (Candidate c : r.candidates()) {
                    if (GeminiToOpenAi.MALFORMED_CALL.equals(c.finishReason())) {
                        throw new ApiError(502, "api_error", "upstream_error", null,
                                "Gemini could not form a valid function call (MALFORMED_FUNCTION_CALL).").exception();
                    }
                    StringBuilder text = new StringBuilder();
                    StringBuilder thoughts = new StringBuilder();
                    for (Part p : c.parts()) {
                        if (p instanceof Text t) (t.thought() ? thoughts : text).append(t.text());
                    }
                    List<FunctionCall> fcs = c.parts().stream().filter(FunctionCall.class::isInstance).map(FunctionCall.class::cast).toList();
                    String finish = GeminiToOpenAi.finishReason(c.finishReason(), !fcs.isEmpty());
                    if (finish == null) finish = fcs.isEmpty() ? "stop" : "tool_calls";
                    if (firstFinish == null) firstFinish = finish;
                    choice(g, c.index(), text, thoughts, fcs, key, calls, finish);
                    calls += fcs.size();
                }
            }
            g.writeEndArray();
            if (usage != null) GeminiToOpenAi.writeUsage(g, usage);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DecodedResponse(Buffer.buffer(out.toByteArray()), usage, firstFinish);
    }

    private static void choice(JsonGenerator g, int index, CharSequence text, CharSequence thoughts, List<FunctionCall> calls,
            String key, int firstCall, String finish) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", index);
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        if (text == null || text.isEmpty()) g.writeNullField("content");
        else g.writeStringField("content", text.toString());
        g.writeNullField("refusal");
        if (thoughts != null && !thoughts.isEmpty()) g.writeStringField("reasoning_content", thoughts.toString());
        if (!calls.isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                FunctionCall c = calls.get(i);
                GeminiToOpenAi.writeToolCall(g, c, GeminiToOpenAi.callId(c, key, firstCall + i), -1);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", finish);
        g.writeEndObject();
    }
}
