package dev.switchyard.provider.anthropic;

import dev.switchyard.provider.translate.ParamTable;
import dev.switchyard.provider.RawParams;

/**
 * What the Anthropic adapter does with every OpenAI chat parameter (OpenAI spec
 * {@code CreateChatCompletionRequest}). docs/providers-anthropic.md renders this table; a test keeps the two equal.
 */
final class AnthropicParams {
    static final ParamTable TABLE = ParamTable.builder(AnthropicAdapter.TYPE)
            .translate("model", "replaced by the target's upstream model")
            .translate("messages", "system/developer → system; user, assistant and tool turns → content blocks")
            .translate("max_completion_tokens", "→ max_tokens")
            .translate("max_tokens", "→ max_tokens (max_completion_tokens wins when both are set)")
            .translate("temperature", "forwarded, clamped to Anthropic's 0..1")
            .forward("top_p", "unchanged")
            .translate("stop", "→ stop_sequences")
            .forward("stream", "unchanged")
            .translate("stream_options", "include_usage adds the final usage chunk; Anthropic always reports usage")
            .translate("tools", "function tools → tools with input_schema")
            .translate("tool_choice", "auto, none, required → any, named function → tool")
            .translate("parallel_tool_calls", "false → tool_choice.disable_parallel_tool_use")
            .translate("response_format", "json_schema / json_object → one forced output tool; text → nothing")
            .translate("reasoning_effort", "→ thinking with a token budget (none → no thinking)")
            .translate("user", "→ metadata.user_id")
            .translate("safety_identifier", "→ metadata.user_id when user is absent")
            .reject("n", ParamTable.ONE, "Anthropic returns one choice per request")
            .reject("modalities", ParamTable.TEXT_ONLY, "Anthropic answers with text only")
            .reject("audio", "Anthropic has no audio output")
            .reject("functions", "the legacy functions API is not translated; send tools instead")
            .reject("function_call", "the legacy functions API is not translated; send tool_choice instead")
            .reject("web_search_options", "use an Anthropic web search tool through raw_params instead")
            .drop("frequency_penalty", ParamTable.ZERO, "no equivalent")
            .drop("presence_penalty", ParamTable.ZERO, "no equivalent")
            .drop("logit_bias", ParamTable.EMPTY_OBJECT, "no equivalent")
            .drop("logprobs", ParamTable.FALSE, "Anthropic returns no log probabilities")
            .drop("top_logprobs", ParamTable.ZERO, "Anthropic returns no log probabilities")
            .drop("seed", "no deterministic sampling")
            .drop("service_tier", ParamTable.AUTO, "OpenAI's tiers have no Anthropic counterpart")
            .drop("store", ParamTable.FALSE, "OpenAI stored completions")
            .drop("metadata", ParamTable.EMPTY_OBJECT, "OpenAI stored-completion tags (Anthropic metadata only holds user_id)")
            .drop("prediction", "predicted outputs are an OpenAI latency feature")
            .drop("verbosity", "no equivalent")
            .drop("prompt_cache_key", "Anthropic caches by cache_control breakpoints (kept on content parts)")
            .drop("prompt_cache_retention", "Anthropic caches by cache_control breakpoints (kept on content parts)")
            .drop("prompt_cache_options", "Anthropic caches by cache_control breakpoints (kept on content parts)")
            .drop("moderation", "OpenAI's moderation does not run on Anthropic answers")
            .translate("models", "gateway fallback list; never sent upstream")
            .translate(RawParams.FIELD, "merged into the Anthropic body (flat, or the \"anthropic\" entry)")
            .build();

    private AnthropicParams() {}
}
