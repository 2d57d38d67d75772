package dev.switchyard.accounting.metrics;

import dev.switchyard.accounting.LabelDirectory.TargetLabels;
import dev.switchyard.model.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Every meter one finished request touches, resolved once per (operation, model, target, status) so the
 * event loop only increments. Meters shared between keys (tokens have no status) are the same instances:
 * the registry hands back the meter it already has for an id.
 */
final class RequestMeters {
    private final MeterRegistry registry;
    private final Tags costTags;
    private final Counter requests;
    private final Counter truncated;
    private final Timer duration;
    private final Tags genAi;
    private final Counter input;
    private final Counter cached;
    private final Counter cacheWrite;
    private final Counter output;
    private final Counter reasoning;
    private final DistributionSummary inputUsage;
    private final DistributionSummary outputUsage;
    /** Embeddings produce no output tokens: no output observation for them. */
    private final boolean embeddings;
    /** Registered on first use: no empty TTFT series for non-streaming traffic. */
    private volatile Timer ttft;
    /** Registered on first use: absent rather than zero while no cost source is wired. */
    private volatile Counter cost;
    private volatile Counter unpriced;

    /**
     * @param broken a committed stream that broke (status 200, answer incomplete)
     */
    RequestMeters(MeterRegistry registry, String operation, String model, TargetLabels target, int status, boolean broken) {
        this.embeddings = operation.equals("embeddings");
        this.registry = registry;
        String provider = target.provider().name();
        this.costTags = Tags.of("model", model, "provider", provider);
        requests = Counter.builder(MeterNames.REQUESTS).description("Requests that reached a route, by outcome")
                .tags(costTags).tag("status", Integer.toString(status)).register(registry);
        truncated = broken ? Counter.builder(MeterNames.STREAMS_TRUNCATED)
                .description("Streams that broke after content reached the client").tags(costTags).register(registry) : null;

        this.genAi = Tags.of(MeterNames.OPERATION, operation, MeterNames.SYSTEM, target.provider().type(),
                MeterNames.REQUEST_MODEL, model, MeterNames.RESPONSE_MODEL, target.model(), "provider", provider);
        String error = broken ? "stream_broken" : status >= 400 ? Integer.toString(status) : "";
        duration = Timer.builder(MeterNames.REQUEST_DURATION).description("Time from request arrival to its last byte")
                .tags(genAi).tag(MeterNames.ERROR_TYPE, error)
                .serviceLevelObjectives(MeterNames.DURATION_BUCKETS).register(registry);
        input = tokens(costTags, "input");
        cached = tokens(costTags, "cached");
        cacheWrite = tokens(costTags, "cache_write");
        output = tokens(costTags, "output");
        reasoning = tokens(costTags, "reasoning");
        inputUsage = usage(genAi, "input");
        outputUsage = embeddings ? null : usage(genAi, "output");
    }

    private Counter tokens(Tags tags, String type) {
        return Counter.builder(MeterNames.TOKENS).description("Tokens by type (input includes cached; output includes reasoning)")
                .tags(tags).tag("type", type).register(registry);
    }

    private DistributionSummary usage(Tags tags, String type) {
        return DistributionSummary.builder(MeterNames.TOKEN_USAGE).description("Tokens per request")
                .tags(tags).tag(MeterNames.TOKEN_TYPE, type).serviceLevelObjectives(MeterNames.TOKEN_BUCKETS)
                .register(registry);
    }

    void record(long totalNanos, long ttftNanos, Usage usage, Double costUsd, boolean priced) {
        requests.increment();
        if (truncated != null) truncated.increment();
        duration.record(totalNanos, TimeUnit.NANOSECONDS);
        if (ttftNanos > 0) ttftTimer().record(ttftNanos, TimeUnit.NANOSECONDS);
        if (usage != null) {
            add(input, usage.inputTokens());
            add(cached, usage.cachedTokens());
            add(cacheWrite, usage.cacheWriteTokens());
            add(output, usage.outputTokens());
            add(reasoning, usage.reasoningTokens());
            inputUsage.record(usage.inputTokens());
            if (outputUsage != null) outputUsage.record(usage.outputTokens());
        }
        if (costUsd != null) costCounter().increment(costUsd);
        else if (priced && usage != null) unpricedCounter().increment();
    }

    private static void add(Counter c, long n) {
        if (n > 0) c.increment(n);
    }

    private Timer ttftTimer() {
        Timer t = ttft;
        if (t == null) {
            t = Timer.builder(MeterNames.TIME_TO_FIRST_TOKEN).description("Time from request arrival to the first streamed token")
                    .tags(genAi).serviceLevelObjectives(MeterNames.TTFT_BUCKETS).register(registry);
            ttft = t;
        }
        return t;
    }

    private Counter costCounter() {
        Counter c = cost;
        if (c == null) {
            c = Counter.builder(MeterNames.COST).description("Spend in USD as priced by the ledger").tags(costTags).register(registry);
            cost = c;
        }
        return c;
    }

    private Counter unpricedCounter() {
        Counter c = unpriced;
        if (c == null) {
            c = Counter.builder(MeterNames.UNPRICED).description("Requests with usage but no price for their model")
                    .tags(costTags).register(registry);
            unpriced = c;
        }
        return c;
    }
}
