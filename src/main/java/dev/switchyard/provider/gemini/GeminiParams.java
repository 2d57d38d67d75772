package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.model.ApiError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the Gemini adapter does with each top-level OpenAI chat parameter: the one table behind the
 * encoder and behind {@code docs/providers-gemini-azure.md}. A parameter the table does not know is
 * dropped and named, because Gemini's body has no place for it.
 */
final class GeminiParams {
    enum Fidelity {
        /** handled by the gateway itself (routing, usage, raw_params) */
        GATEWAY,
        /** rewritten into Gemini's own field */
        TRANSLATE,
        /** Gemini cannot honour it: removed and named in {@code x-switchyard-dropped-params} */
        DROP,
        /** dropping it would change the answer's meaning: 400 */
        REJECT
    }

    static final Map<String, Fidelity> CHAT = Map.ofEntries(
            Map.entry("model", Fidelity.GATEWAY),
            Map.entry("models", Fidelity.GATEWAY),
            Map.entry("stream", Fidelity.GATEWAY),
            Map.entry("stream_options", Fidelity.GATEWAY), // Gemini always reports usage on streams
            Map.entry("raw_params", Fidelity.GATEWAY),
            Map.entry("messages", Fidelity.TRANSLATE), // → contents + systemInstruction
            Map.entry("temperature", Fidelity.TRANSLATE), // → generationConfig.temperature
            Map.entry("top_p", Fidelity.TRANSLATE), // → topP
            Map.entry("top_k", Fidelity.TRANSLATE), // (extension) → topK
            Map.entry("max_tokens", Fidelity.TRANSLATE), // → maxOutputTokens
            Map.entry("max_completion_tokens", Fidelity.TRANSLATE), // → maxOutputTokens (wins over max_tokens)
            Map.entry("stop", Fidelity.TRANSLATE), // → stopSequences
            Map.entry("n", Fidelity.TRANSLATE), // → candidateCount
            Map.entry("seed", Fidelity.TRANSLATE), // → seed
            Map.entry("presence_penalty", Fidelity.TRANSLATE), // → presencePenalty
            Map.entry("frequency_penalty", Fidelity.TRANSLATE), // → frequencyPenalty
            Map.entry("response_format", Fidelity.TRANSLATE), // → responseMimeType + responseSchema
            Map.entry("tools", Fidelity.TRANSLATE), // → tools[].functionDeclarations
            Map.entry("tool_choice", Fidelity.TRANSLATE), // → toolConfig.functionCallingConfig
            Map.entry("parallel_tool_calls", Fidelity.TRANSLATE), // true is Gemini's behaviour; false is dropped
            Map.entry("reasoning_effort", Fidelity.TRANSLATE), // → thinkingConfig
            Map.entry("logprobs", Fidelity.DROP),
            Map.entry("top_logprobs", Fidelity.DROP),
            Map.entry("logit_bias", Fidelity.DROP),
            Map.entry("user", Fidelity.DROP),
            Map.entry("metadata", Fidelity.DROP),
            Map.entry("store", Fidelity.DROP),
            Map.entry("service_tier", Fidelity.DROP),
            Map.entry("prediction", Fidelity.DROP),
            Map.entry("prompt_cache_key", Fidelity.DROP),
            Map.entry("safety_identifier", Fidelity.DROP),
            Map.entry("verbosity", Fidelity.DROP),
            Map.entry("web_search_options", Fidelity.REJECT),
            Map.entry("modalities", Fidelity.REJECT),
            Map.entry("audio", Fidelity.REJECT),
            Map.entry("functions", Fidelity.REJECT),
            Map.entry("function_call", Fidelity.REJECT));

    static final Map<String, Fidelity> EMBEDDINGS = Map.of(
            "model", Fidelity.GATEWAY,
            "models", Fidelity.GATEWAY,
            "raw_params", Fidelity.GATEWAY,
            "input", Fidelity.TRANSLATE, // → content.parts[].text (embedContent / batchEmbedContents)
            "dimensions", Fidelity.TRANSLATE, // → outputDimensionality
            "encoding_format", Fidelity.TRANSLATE, // float as is; base64 re-encoded by the gateway
            "user", Fidelity.DROP);

    private GeminiParams() {}

    /**
     * Applies the table to a request's top-level fields: names the dropped ones in body order and
     * rejects the ones that cannot be dropped.
     */
    static void audit(JsonNode request, Map<String, Fidelity> table, List<String> dropped) {
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (e.getValue().isNull()) continue; // an explicit null asks for the default: nothing is lost
            Fidelity f = table.getOrDefault(name, Fidelity.DROP);
            if (f == Fidelity.DROP) {
                dropped.add(name);
            } else if (f == Fidelity.REJECT) {
                throw ApiError.invalidField(name, "'" + name + "' is not supported by Gemini targets"
                        + (name.startsWith("function") ? " (use 'tools' and 'tool_choice')" : "") + ".").exception();
            } else if (name.equals("parallel_tool_calls") && !e.getValue().asBoolean(true)) {
                dropped.add(name); // Gemini may always call several functions at once
            }
        }
    }
}
