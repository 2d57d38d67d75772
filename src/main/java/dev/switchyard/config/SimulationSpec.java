package dev.switchyard.config;

import java.time.Duration;

/**
 * How a {@code simulated} provider behaves. Failures are deterministic: with {@code failureRate}
 * 0.25 exactly every fourth request fails, so demos and tests repeat.
 *
 * @param firstToken      delay before the first token
 * @param tokensPerSecond streaming speed after the first token (0 = all at once)
 * @param outputTokens    words in each answer
 * @param failureRate     share of requests that fail, 0..1
 * @param failure         how they fail
 * @param failureStatus   HTTP status for {@link Failure#STATUS}
 */
public record SimulationSpec(
        Duration firstToken, double tokensPerSecond, int outputTokens,
        double failureRate, Failure failure, int failureStatus) {

    public enum Failure {
        /** answer with an OpenAI-style error and {@code failureStatus} */
        STATUS,
        /** accept the request and never answer */
        HANG,
        /** close the connection before any byte */
        DROP,
        /** stream half the answer, then cut the connection */
        DROP_MID_STREAM
    }

    public static final SimulationSpec DEFAULT =
            new SimulationSpec(Duration.ofMillis(50), 200, 24, 0, Failure.STATUS, 503);
}
