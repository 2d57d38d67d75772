package dev.switchyard.accounting.metrics;

import dev.switchyard.accounting.LabelDirectory.TargetLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Attempt, failover and retry counters per (target, outcome), resolved once. Outcomes are the attempt
 * log's labels (a status, {@code timeout}, {@code connect_error}…): set by code, not by upstream text, but
 * the cache still caps itself so a future label scheme cannot grow it without bound.
 */
final class AttemptMeters {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]{1,32}");
    private static final int MAX_OUTCOMES_PER_TARGET = 64;

    /** The attempt counter, and failover and retry counters registered on first use (most outcomes never fail over). */
    static final class Counters {
        private final MeterRegistry registry;
        private final Tags tags;
        final Counter attempts;
        private volatile Counter failovers;
        private volatile Counter retries;

        Counters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            this.attempts = Counter.builder(MeterNames.ATTEMPTS).description("Upstream attempts by target and outcome")
                    .tags(tags).register(registry);
        }

        void failedOver() {
            Counter c = failovers;
            if (c == null) {
                c = Counter.builder(MeterNames.FAILOVERS).description("Attempts that failed and moved the request to another target")
                        .tags(tags).register(registry);
                failovers = c;
            }
            c.increment();
        }

        void retried() {
            Counter c = retries;
            if (c == null) {
                c = Counter.builder(MeterNames.RETRIES).description("Attempts that failed and were retried on the same target")
                        .tags(tags).register(registry);
                retries = c;
            }
            c.increment();
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<TargetLabels, ConcurrentHashMap<String, Counters>> byTarget = new ConcurrentHashMap<>();

    AttemptMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    Counters get(TargetLabels target, String outcome) {
        ConcurrentHashMap<String, Counters> byOutcome = byTarget.get(target);
        if (byOutcome == null) byOutcome = byTarget.computeIfAbsent(target, t -> new ConcurrentHashMap<>());
        Counters c = byOutcome.get(outcome);
        if (c != null) return c;
        if (byOutcome.size() >= MAX_OUTCOMES_PER_TARGET || !LABEL.matcher(outcome).matches()) {
            return byOutcome.computeIfAbsent("other", o -> create(target, o));
        }
        return byOutcome.computeIfAbsent(outcome, o -> create(target, o));
    }

    private Counters create(TargetLabels target, String outcome) {
        return new Counters(registry, Tags.of("provider", target.provider().name(), "target", target.id(), "outcome", outcome));
    }
}
