package dev.switchyard.accounting;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a provider type and an upstream model to the catalog's key. LiteLLM names first-party models plainly
 * ({@code gpt-4o}, {@code claude-sonnet-4-5}) and prefixes the others with its provider route
 * ({@code mistral/…}, {@code dashscope/…}). A plain key is accepted only when the catalog says it belongs to
 * the same provider, so an OpenAI-compatible server serving "gpt-4o" is never priced as OpenAI's by accident.
 */
public final class CatalogKeys {
    /** @param prefix route prefix for prefixed keys, or null; @param plainProviders LiteLLM providers a plain key may have */
    private record Rule(String prefix, Set<String> plainProviders) {}

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("openai", new Rule(null, Set.of("openai", "text-completion-openai"))),
            Map.entry("anthropic", new Rule(null, Set.of("anthropic"))),
            Map.entry("azure", new Rule("azure/", Set.of())),
            Map.entry("gemini", new Rule("gemini/", Set.of())),
            Map.entry("bedrock", new Rule("bedrock/", Set.of("bedrock", "bedrock_converse"))),
            Map.entry("cohere", new Rule(null, Set.of("cohere_chat", "cohere"))),
            Map.entry("mistral", new Rule("mistral/", Set.of())),
            Map.entry("deepseek", new Rule("deepseek/", Set.of())),
            Map.entry("qwen", new Rule("dashscope/", Set.of())),
            Map.entry("xai", new Rule("xai/", Set.of())),
            Map.entry("groq", new Rule("groq/", Set.of())),
            Map.entry("together", new Rule("together_ai/", Set.of())),
            Map.entry("fireworks", new Rule("fireworks_ai/", Set.of())),
            Map.entry("openrouter", new Rule("openrouter/", Set.of())),
            Map.entry("ollama", new Rule("ollama/", Set.of())));

    private CatalogKeys() {}

    /**
     * Candidate keys in the order they are tried. Empty for types the catalog cannot know (vllm, compat,
     * simulated): those are priced through {@code pricing.overrides} only.
     */
    public static List<String> candidates(String providerType, String upstreamModel) {
        Rule r = providerType == null ? null : RULES.get(providerType);
        if (r == null || upstreamModel == null || upstreamModel.isEmpty()) return List.of();
        if (r.prefix == null) return List.of(upstreamModel);
        if (r.plainProviders.isEmpty()) return List.of(r.prefix + upstreamModel);
        return List.of(r.prefix + upstreamModel, upstreamModel);
    }

    /** Whether a catalog entry found under {@code key} may price this provider type. */
    static boolean accepts(String providerType, String key, CatalogEntry e) {
        Rule r = RULES.get(providerType);
        if (r == null) return false;
        if (r.prefix != null && key.startsWith(r.prefix)) return true;
        return r.plainProviders.contains(e.provider());
    }
}
