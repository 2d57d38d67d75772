package dev.switchyard.accounting.metrics;

import java.time.Duration;

/**
 * Meter names and bucket boundaries. The {@code gen_ai.*} and {@code http.server.*} names and their bucket
 * boundaries are the OpenTelemetry semantic conventions'; Micrometer's Prometheus naming turns them into
 * {@code gen_ai_server_request_duration_seconds} and so on (dots become underscores, timers get
 * {@code _seconds}, counters {@code _total}). {@code switchyard.*} meters are our own.
 */
final class MeterNames {
    private MeterNames() {}

    static final String REQUESTS = "switchyard.requests";
    static final String STREAMS_TRUNCATED = "switchyard.streams.truncated";
    static final String TOKENS = "switchyard.tokens";
    static final String COST = "switchyard.cost.usd";
    static final String UNPRICED = "switchyard.requests.unpriced";
    static final String ATTEMPTS = "switchyard.attempts";
    static final String FAILOVERS = "switchyard.failovers";
    static final String RETRIES = "switchyard.retries";
    static final String OVERHEAD = "switchyard.gateway.overhead";
    static final String BREAKER_STATE = "switchyard.circuit.breaker.state";
    static final String QUEUE_DEPTH = "switchyard.queue.depth";
    static final String QUEUE_CAPACITY = "switchyard.queue.capacity";
    static final String QUEUE_DROPPED = "switchyard.queue.dropped";

    static final String REQUEST_DURATION = "gen_ai.server.request.duration";
    static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";

    static final String HTTP_DURATION = "http.server.request.duration";
    static final String HTTP_ACTIVE = "http.server.active_requests";

    // GenAI semantic-convention attribute keys; Prometheus shows them with underscores.
    static final String OPERATION = "gen_ai.operation.name";
    static final String SYSTEM = "gen_ai.system";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String TOKEN_TYPE = "gen_ai.token.type";
    static final String ERROR_TYPE = "error.type";

    /** gen_ai.server.request.duration's advised boundaries, seconds. */
    static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    /** gen_ai.server.time_to_first_token's advised boundaries, seconds. */
    static final Duration[] TTFT_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0);
    /** gen_ai.client.token.usage's advised boundaries, tokens. */
    static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
            16777216, 67108864};
    /** Gateway overhead is sub-millisecond when healthy: finer buckets than request duration. */
    static final Duration[] OVERHEAD_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25);
    /** http.server.request.duration's advised boundaries, seconds. */
    static final Duration[] HTTP_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
            7.5, 10);

    private static Duration[] seconds(double... s) {
        Duration[] d = new Duration[s.length];
        for (int i = 0; i < s.length; i++) d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
        return d;
    }
}
