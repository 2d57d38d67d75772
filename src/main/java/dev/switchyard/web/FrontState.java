package dev.switchyard.web;

import dev.switchyard.auth.KeyRing;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.routing.ModelCatalog;

/** What the front reads per request; replaced as a whole when the configuration changes. */
public record FrontState(GatewayConfig config, ModelCatalog catalog, KeyRing keys) {}
