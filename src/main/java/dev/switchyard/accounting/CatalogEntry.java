package dev.switchyard.accounting;

/**
 * One model of the bundled catalog.
 *
 * @param key       the catalog key ({@code gpt-4o}, {@code mistral/mistral-large-latest}…)
 * @param provider  LiteLLM's provider name for it ({@code openai}, {@code bedrock_converse}…)
 * @param mode      {@code chat} or {@code embedding}
 * @param maxInput  context window in tokens, or null when unknown
 * @param maxOutput most output tokens per request, or null when unknown
 */
public record CatalogEntry(String key, String provider, String mode, ModelPrice price, Integer maxInput, Integer maxOutput) {}
