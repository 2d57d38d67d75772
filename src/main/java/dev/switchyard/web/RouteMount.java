package dev.switchyard.web;

import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/** Mounts further routes (admin API, metrics, dashboard) on each server's router. */
@FunctionalInterface
public interface RouteMount {
    void mount(Router router, Supplier<FrontState> state);
}
