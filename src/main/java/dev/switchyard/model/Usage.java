package dev.switchyard.model;

/**
 * Token counts of one upstream answer, normalised across providers.
 *
 * @param inputTokens      all prompt tokens, cached ones included (OpenAI's {@code prompt_tokens})
 * @param cachedTokens     prompt tokens read from the provider's cache
 * @param cacheWriteTokens prompt tokens written to the cache (Anthropic's cache creation)
 * @param outputTokens     all completion tokens, reasoning included
 * @param reasoningTokens  completion tokens spent on hidden reasoning
 */
public record Usage(long inputTokens, long cachedTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
