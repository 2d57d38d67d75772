package dev.switchyard.provider;

import dev.switchyard.config.ProviderConfig;
import java.util.function.Function;

/**
 * A provider type as the registry knows it.
 *
 * @param defaultBaseUrl null when the operator must give one
 * @param simulated      answered in-process, no network
 * @param adapter        builds the adapter for one configured provider
 */
public record ProviderType(String name, boolean needsApiKey, String defaultBaseUrl, boolean simulated,
        Function<ProviderConfig, ProviderAdapter> adapter) {}
