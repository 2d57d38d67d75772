package dev.switchyard.routing;

import dev.switchyard.config.Timeouts;

/**
 * One place a request can go: a provider and the model name it knows.
 *
 * @param id       {@code provider/upstream-model}, as in config and headers
 * @param timeouts the model's overrides layered over the provider's
 */
public record Target(String id, ProviderRuntime provider, String upstreamModel, int weight, Timeouts timeouts) {}
