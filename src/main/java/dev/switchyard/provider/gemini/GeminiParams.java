package dev.switchyard.provider.gemini;

import dev.switchyard.provider.RawParams;
import dev.switchyard.provider.translate.ParamTable;

/**
 * What the Gemini adapter does with each top-level OpenAI parameter: the one table behind the encoder and behind
 * the table in {@code docs/providers-gemini-azure.md} (a test keeps the two equal). A parameter the table does not
 * know is dropped and named, because Gemini's body has no place for it. The mechanism is the shared
 * {@link ParamTable}, as for every translating adapter.
 */
final class GeminiParams {
    static final ParamTable CHAT = ParamTable.builder(GeminiAdapter.TYPE)
            .translate("model", "URL models/{model}:generateContent")
            .translate("stream", "URL :streamGenerateContent?alt=sse")
            .translate("stream_options", "not needed: Gemini always reports usage on streams")
            .translate("messages", "contents + systemInstruction")
            .translate("temperature", "generationConfig.temperature")
            .translate("top_p", "generationConfig.topP")
            .translate("top_k", "(extension) generationConfig.topK")
            .translate("max_tokens", "generationConfig.maxOutputTokens")
            .translate("max_completion_tokens", "generationConfig.maxOutputTokens (wins over max_tokens)")
            .translate("stop", "generationConfig.stopSequences")
            .translate("n", "generationConfig.candidateCount (one choice per candidate)")
            .translate("seed", "generationConfig.seed")
            .translate("presence_penalty", "generationConfig.presencePenalty")
            .translate("frequency_penalty", "generationConfig.frequencyPenalty")
            .translate("response_format", "json_object → responseMimeType; json_schema → that plus a converted responseSchema")
            .translate("tools", "function tools → tools[0].functionDeclarations; other tool types are rejected")
            .translate("tool_choice", "toolConfig.functionCallingConfig: auto → AUTO, none → NONE, required → ANY, named → ANY + allowedFunctionNames")
            .drop("parallel_tool_calls", ParamTable.TRUE, "true is Gemini's behaviour; false cannot be honoured")
            .translate("reasoning_effort", "generationConfig.thinkingConfig.thinkingBudget")
            .drop("logprobs", ParamTable.FALSE, "no equivalent in generateContent")
            .drop("top_logprobs", ParamTable.ZERO, "no equivalent in generateContent")
            .drop("logit_bias", ParamTable.EMPTY_OBJECT, "no equivalent")
            .drop("user", "no equivalent")
            .drop("metadata", ParamTable.EMPTY_OBJECT, "OpenAI stored-completion tags")
            .drop("store", ParamTable.FALSE, "OpenAI stored completions")
            .drop("service_tier", ParamTable.AUTO, "OpenAI's tiers have no Gemini counterpart")
            .drop("prediction", "predicted outputs are an OpenAI latency feature")
            .drop("prompt_cache_key", "Gemini caches implicitly or through cachedContents (raw_params)")
            .drop("safety_identifier", "no equivalent")
            .drop("verbosity", "no equivalent")
            .reject("web_search_options", "use Gemini's google_search tool through raw_params instead")
            .reject("modalities", ParamTable.TEXT_ONLY, "the answer would not be what was asked")
            .reject("audio", "the answer would not be what was asked")
            .reject("functions", "the legacy functions API is not translated; use tools instead")
            .reject("function_call", "the legacy functions API is not translated; use tool_choice instead")
            .translate("models", "gateway fallback list; never sent upstream")
            .translate(RawParams.FIELD, "merged into the Gemini body (flat, or the \"gemini\" entry)")
            .build();

    static final ParamTable EMBEDDINGS = ParamTable.builder(GeminiAdapter.TYPE)
            .translate("model", "URL models/{model}:embedContent")
            .translate("input", "a string → embedContent; an array of strings → batchEmbedContents")
            .translate("dimensions", "outputDimensionality")
            .translate("encoding_format", "float as is; base64 re-encoded by the gateway")
            .drop("user", "no equivalent")
            .translate("models", "gateway fallback list; never sent upstream")
            .translate(RawParams.FIELD, "merged into each embedding request (flat, or the \"gemini\" entry)")
            .build();

    private GeminiParams() {}
}
