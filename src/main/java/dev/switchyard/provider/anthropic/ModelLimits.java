package dev.switchyard.provider.anthropic;

import java.util.OptionalInt;

/**
 * Per-model limits the adapter needs but the request does not carry. Anthropic requires {@code max_tokens}
 * on every request while OpenAI clients usually omit it; the best default is the model's own maximum output.
 * This is the seam for the price catalog, which will know that number per model: until it exists the
 * registry passes {@link #NONE} and the provider's {@code options.default_max_tokens} (or 4096) applies.
 */
@FunctionalInterface
public interface ModelLimits {
    ModelLimits NONE = model -> OptionalInt.empty();

    /** The model's maximum output tokens, or empty when unknown. */
    OptionalInt maxOutputTokens(String upstreamModel);
}
