package dev.switchyard.provider.anthropic;

import dev.switchyard.config.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A provider's Anthropic-specific {@code options}, read once when the provider is built so a typo fails at
 * startup with the config path instead of on the first request.
 *
 * @param version          {@code anthropic-version} header ({@code options.anthropic_version})
 * @param betas            {@code anthropic-beta} flags sent on every request ({@code options.anthropic_beta}, comma-separated)
 * @param defaultMaxTokens {@code options.default_max_tokens}: max_tokens when neither the client nor the model catalog gives one
 */
record AnthropicOptions(String version, List<String> betas, OptionalInt defaultMaxTokens) {
    static final String DEFAULT_VERSION = "2023-06-01";

    static AnthropicOptions of(ProviderConfig p) {
        String version = p.options().getOrDefault("anthropic_version", DEFAULT_VERSION).trim();
        if (version.isEmpty()) throw new IllegalArgumentException(path(p, "anthropic_version") + ": must not be empty");
        List<String> betas = new ArrayList<>(1);
        String b = p.options().get("anthropic_beta");
        if (b != null) {
            for (String s : b.split(",")) if (!s.isBlank()) betas.add(s.trim());
        }
        OptionalInt max = OptionalInt.empty();
        String m = p.options().get("default_max_tokens");
        if (m != null) {
            try {
                int v = Integer.parseInt(m.trim());
                if (v < 1) throw new NumberFormatException();
                max = OptionalInt.of(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path(p, "default_max_tokens") + ": expected a positive integer, got '" + m + "'");
            }
        }
        return new AnthropicOptions(version, List.copyOf(betas), max);
    }

    private static String path(ProviderConfig p, String option) {
        return "providers." + p.name() + ".options." + option;
    }
}
