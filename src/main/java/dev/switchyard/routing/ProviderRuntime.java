package dev.switchyard.routing;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.UpstreamTransport;

/** A configured provider made live: its adapter, its connection pool and its effective timeouts. */
public record ProviderRuntime(ProviderConfig config, ProviderAdapter adapter, UpstreamTransport transport, Timeouts timeouts) {
    public String name() {
        return config.name();
    }
}
