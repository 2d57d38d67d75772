package dev.switchyard.provider.gemini;

import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.gemini.GeminiWire.Candidate;
import dev.switchyard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchyard.provider.gemini.GeminiWire.Part;
import dev.switchyard.provider.gemini.GeminiWire.Reply;
import dev.switchyard.provider.gemini.GeminiWire.Text;
import dev.switchyard.provider.translate.CompletionWriter;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        List<CompletionWriter.Choice> choices = new ArrayList<>(Math.max(1, r.candidates().size()));
        if (r.candidates().isEmpty()) {
            // Gemini sends no candidate when it blocks the prompt itself
            choices.add(choice(0, "", "", List.of(), r.blockReason() != null ? "content_filter" : "stop"));
        }
        int calls = 0;
        for (Candidate c : r.candidates()) {
            if (GeminiToOpenAi.MALFORMED_CALL.equals(c.finishReason())) {
                throw new ApiError(502, "api_error", "upstream_error", null,
                        "Gemini could not form a valid function call (MALFORMED_FUNCTION_CALL).").exception();
            }
            StringBuilder text = new StringBuilder();
            StringBuilder thoughts = new StringBuilder();
            List<CompletionWriter.ToolCall> toolCalls = new ArrayList<>(0);
            for (Part p : c.parts()) {
                if (p instanceof Text t) (t.thought() ? thoughts : text).append(t.text());
                else if (p instanceof FunctionCall f) toolCalls.add(GeminiToOpenAi.toolCall(f, GeminiToOpenAi.callId(f, key, calls++)));
            }
            String finish = GeminiToOpenAi.finishReason(c.finishReason(), !toolCalls.isEmpty());
            if (finish == null) finish = toolCalls.isEmpty() ? "stop" : "tool_calls";
            choices.add(choice(c.index(), text, thoughts, toolCalls, finish));
        }
        String model = r.modelVersion() != null ? r.modelVersion() : request.model();
        Buffer out = CompletionWriter.write("chatcmpl-" + key, System.currentTimeMillis() / 1000, model, choices, usage);
        return new DecodedResponse(out, usage, choices.get(0).finishReason());
    }

    private static CompletionWriter.Choice choice(int index, CharSequence text, CharSequence thoughts,
            List<CompletionWriter.ToolCall> calls, String finish) {
        return new CompletionWriter.Choice(index, text.isEmpty() ? null : text.toString(),
                thoughts.isEmpty() ? null : thoughts.toString(), calls, finish, Map.of());
    }
}
