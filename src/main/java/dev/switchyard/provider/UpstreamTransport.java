package dev.switchyard.provider;

/**
 * Moves an {@link UpstreamRequest} to a provider and returns its response. Real providers use HTTP;
 * the simulated provider answers in-process through the same interface, so demos and load tests
 * exercise the real routing, streaming and accounting code.
 */
public interface UpstreamTransport extends AutoCloseable {
    UpstreamCall send(UpstreamRequest request);

    /** Releases pooled connections at once. */
    @Override
    default void close() {}

    /** Stops taking new calls and closes once in-flight ones end, or after {@code grace} (config reload). */
    default void retire(java.time.Duration grace) {
        close();
    }
}
