package dev.switchyard.config;

import java.util.Set;

/**
 * What the config validator needs to know about provider types. The provider registry implements
 * it, so config stays independent of the adapters themselves.
 */
public interface ProviderTypes {
    Set<String> names();

    /** True when the type cannot work without an {@code api_key}. */
    boolean needsApiKey(String type);

    /** True when the type has no default base URL. */
    boolean needsBaseUrl(String type);
}
