package dev.switchyard.accounting;

import java.util.OptionalInt;

/**
 * Context window and output limit of a provider's model, from the bundled catalog. For adapters that need a
 * default {@code max_tokens} (Anthropic requires one) and for routing that skips targets whose window is too
 * small. Lookups are keyed like prices: provider type plus upstream model (see {@link CatalogKeys}).
 */
public interface ModelLimits {
    /** @param providerType the provider's {@code type} from config ({@code anthropic}, {@code mistral}…) */
    OptionalInt maxOutputTokens(String providerType, String upstreamModel);

    OptionalInt contextWindow(String providerType, String upstreamModel);

    /** The limits in the catalog bundled with this build. */
    static ModelLimits bundled() {
        return PriceCatalog.bundled();
    }
}
