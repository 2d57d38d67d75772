package dev.switchyard.provider.compat;

import static dev.switchyard.provider.compat.CompatSpec.Auth.BEARER;
import static dev.switchyard.provider.compat.CompatSpec.Auth.OPTIONAL_BEARER;
import static dev.switchyard.provider.compat.CompatSpec.StreamUsage.ALWAYS;
import static dev.switchyard.provider.compat.CompatSpec.StreamUsage.ASK;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The OpenAI-compatible family. Base URLs and deviations follow
 * {@code shared/specs/openai-compatible-providers.md}; see docs/providers.md for the table.
 */
public final class CompatPresets {
    private static final Map<String, CompatSpec> PRESETS = new LinkedHashMap<>();

    static {
        add(CompatSpec.plain("openai", "https://api.openai.com/v1", BEARER, ASK));
        add(new CompatSpec("deepseek", "https://api.deepseek.com/v1", BEARER, true, ASK,
                Map.of(), List.of(), false, true, false));
        add(new CompatSpec("mistral", "https://api.mistral.ai/v1", BEARER, true, ALWAYS,
                Map.of("seed", "random_seed"), List.of(), false, false, true));
        add(CompatSpec.plain("qwen", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", BEARER, ASK));
        add(CompatSpec.plain("xai", "https://api.x.ai/v1", BEARER, ASK));
        add(new CompatSpec("groq", "https://api.groq.com/openai/v1", BEARER, true, ASK,
                Map.of(), List.of("logprobs", "top_logprobs", "logit_bias"), true, false, false));
        add(CompatSpec.plain("together", "https://api.together.xyz/v1", BEARER, ALWAYS));
        add(CompatSpec.plain("fireworks", "https://api.fireworks.ai/inference/v1", BEARER, ALWAYS));
        add(CompatSpec.plain("openrouter", "https://openrouter.ai/api/v1", BEARER, ASK));
        add(CompatSpec.plain("ollama", "http://127.0.0.1:11434/v1", OPTIONAL_BEARER, ASK));
        add(CompatSpec.plain("vllm", null, OPTIONAL_BEARER, ASK));
        add(CompatSpec.plain("compat", null, OPTIONAL_BEARER, ASK));
    }

    private CompatPresets() {}

    private static void add(CompatSpec spec) {
        PRESETS.put(spec.type(), spec);
    }

    public static Map<String, CompatSpec> all() {
        return PRESETS;
    }

    public static CompatSpec get(String type) {
        return PRESETS.get(type);
    }
}
