package dev.switchyard.accounting.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every HTTP exchange the server handled (401s, 404s and 413s included, which never reach a route):
 * {@code http.server.request.duration} by method, route template and status, and the requests in flight.
 * The caller passes route templates, never raw paths, so the label set stays bounded.
 */
public final class HttpServerMeters {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final HttpMethod OTHER_METHOD = HttpMethod.valueOf("_OTHER");

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentHashMap<String, ConcurrentHashMap<HttpMethod, AtomicReferenceArray<Timer>>> byRoute =
            new ConcurrentHashMap<>();

    HttpServerMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.HTTP_ACTIVE, active, AtomicInteger::get).description("HTTP requests in flight")
                .register(registry);
    }

    void started() {
        active.incrementAndGet();
    }

    /**
     * @param route  a route template such as {@code /v1/models/{model}}, never a raw path
     * @param method keyed as given: Vert.x hands out shared constants for the standard methods (their name()
     *               builds a new string each call, so it is read only when a meter is created)
     */
    void ended(HttpMethod method, String route, int status, long nanos) {
        active.decrementAndGet();
        if (method == null) method = OTHER_METHOD;
        ConcurrentHashMap<HttpMethod, AtomicReferenceArray<Timer>> byMethod = byRoute.get(route);
        if (byMethod == null) byMethod = byRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        String label = null;
        AtomicReferenceArray<Timer> byStatus = byMethod.get(method);
        if (byStatus == null) {
            label = label(method);
            // methods outside the standard set share one slot, so a client cannot add series
            byStatus = byMethod.computeIfAbsent(METHODS.contains(label) ? method : OTHER_METHOD, k -> new AtomicReferenceArray<>(600));
        }
        int code = status > 0 && status < 600 ? status : 0;
        Timer t = byStatus.get(code);
        if (t == null) {
            if (label == null) label = label(method);
            t = Timer.builder(MeterNames.HTTP_DURATION).description("HTTP server request duration")
                    .tags("http.request.method", METHODS.contains(label) ? label : "_OTHER", "http.route", route,
                            "http.response.status_code", Integer.toString(code))
                    .serviceLevelObjectives(MeterNames.HTTP_BUCKETS).register(registry);
            byStatus.set(code, t);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String label(HttpMethod method) {
        return method.name();
    }
}
