package dev.switchyard.accounting.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Timer>>> byRoute =
            new ConcurrentHashMap<>();

    HttpServerMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.HTTP_ACTIVE, active, AtomicInteger::get).description("HTTP requests in flight")
                .register(registry);
    }

    public void started() {
        active.incrementAndGet();
    }

    /** @param route a route template such as {@code /v1/models/{model}}, never a raw path */
    public void ended(String method, String route, int status, long nanos) {
        active.decrementAndGet();
        ConcurrentHashMap<String, AtomicReferenceArray<Timer>> byMethod = byRoute.get(route);
        if (byMethod == null) byMethod = byRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        AtomicReferenceArray<Timer> byStatus = byMethod.get(method);
        if (byStatus == null) {
            String m = METHODS.contains(method) ? method : "_OTHER";
            byStatus = byMethod.computeIfAbsent(m, k -> new AtomicReferenceArray<>(600));
        }
        int code = status > 0 && status < 600 ? status : 0;
        Timer t = byStatus.get(code);
        if (t == null) {
            t = Timer.builder(MeterNames.HTTP_DURATION).description("HTTP server request duration")
                    .tags("http.request.method", METHODS.contains(method) ? method : "_OTHER", "http.route", route,
                            "http.response.status_code", Integer.toString(code))
                    .serviceLevelObjectives(MeterNames.HTTP_BUCKETS).register(registry);
            byStatus.set(code, t);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }
}
