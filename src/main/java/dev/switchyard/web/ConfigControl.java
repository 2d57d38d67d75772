package dev.switchyard.web;

import dev.switchyard.config.GatewayConfig;
import io.vertx.core.Future;
import java.util.List;

/** What the admin API may ask of the configuration: reload it, show it. */
public interface ConfigControl {
    /**
     * @param applied  the new configuration is live
     * @param problems why it was rejected (each with its config path); empty when applied
     * @param summary  what changed, or why nothing could be reloaded
     */
    record ReloadOutcome(boolean applied, List<String> problems, String summary) {}

    Future<ReloadOutcome> reload();

    GatewayConfig current();
}
