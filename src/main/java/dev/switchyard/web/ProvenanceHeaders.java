package dev.switchyard.web;

import dev.switchyard.resilience.Provenance;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/** Writes {@link Provenance} as {@code x-switchyard-*} response headers. */
final class ProvenanceHeaders {
    static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-switchyard-request-id");
    static final CharSequence PROVIDER = HttpHeaders.createOptimized("x-switchyard-provider");
    static final CharSequence MODEL = HttpHeaders.createOptimized("x-switchyard-model");
    static final CharSequence ATTEMPTS = HttpHeaders.createOptimized("x-switchyard-attempts");
    static final CharSequence OVERHEAD = HttpHeaders.createOptimized("x-switchyard-overhead-ms");
    static final CharSequence SIMULATED = HttpHeaders.createOptimized("x-switchyard-simulated");
    static final CharSequence DROPPED = HttpHeaders.createOptimized("x-switchyard-dropped-params");
    static final CharSequence COST = HttpHeaders.createOptimized("x-switchyard-cost-usd");

    private ProvenanceHeaders() {}

    static void write(MultiMap h, Provenance p) {
        h.set(REQUEST_ID, p.requestId());
        if (p.provider() != null) {
            h.set(PROVIDER, p.provider());
            h.set(MODEL, p.model());
        }
        if (p.attempts() != null && !p.attempts().isEmpty()) h.set(ATTEMPTS, p.attempts().header());
        h.set(OVERHEAD, p.overheadMillis());
        if (p.simulated()) h.set(SIMULATED, "true");
        if (p.droppedParams() != null) h.set(DROPPED, p.droppedParams());
        if (p.costUsd() != null) h.set(COST, p.costUsd());
    }
}
