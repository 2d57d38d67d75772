package dev.switchyard.resilience;

import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;

/**
 * What happened to one request, for accounting: reported once, when it ends.
 *
 * @param target      the answering (or last tried) {@code provider/model}, null if none was tried
 * @param status      HTTP status the client got (499 when the client went away first)
 * @param usage       tokens of the answering attempt, or null; every attempt's own usage is in {@code attempts}
 * @param ttftNanos   time to first token for streams, else 0
 * @param errorType   OpenAI error type when it failed, else null
 * @param truncated   a committed stream broke after content had reached the client
 * @param keyName     the caller's key name (never the secret), null when unknown
 * @param operation   chat or embeddings; null when unknown
 * @param traceParent the client's W3C {@code traceparent} header, or null: the parent of the request's trace span
 */
public record ExchangeOutcome(
        String requestId, String publicModel, String target, boolean stream, int status, Usage usage,
        AttemptLog attempts, long startEpochMillis, long totalNanos, long ttftNanos, long overheadNanos,
        String errorType, boolean truncated, String keyName, Operation operation, String traceParent) {

    /** The shape before key names were reported; kept for callers that build outcomes themselves. */
    public ExchangeOutcome(String requestId, String publicModel, String target, boolean stream, int status, Usage usage,
            AttemptLog attempts, long startEpochMillis, long totalNanos, long ttftNanos, long overheadNanos,
            String errorType, boolean truncated) {
        this(requestId, publicModel, target, stream, status, usage, attempts, startEpochMillis, totalNanos, ttftNanos,
                overheadNanos, errorType, truncated, null, null, null);
    }

    /** Without operation and trace context. */
    public ExchangeOutcome(String requestId, String publicModel, String target, boolean stream, int status, Usage usage,
            AttemptLog attempts, long startEpochMillis, long totalNanos, long ttftNanos, long overheadNanos,
            String errorType, boolean truncated, String keyName) {
        this(requestId, publicModel, target, stream, status, usage, attempts, startEpochMillis, totalNanos, ttftNanos,
                overheadNanos, errorType, truncated, keyName, null, null);
    }

    /** With operation and trace context but no key name. */
    public ExchangeOutcome(String requestId, String publicModel, String target, boolean stream, int status, Usage usage,
            AttemptLog attempts, long startEpochMillis, long totalNanos, long ttftNanos, long overheadNanos,
            String errorType, boolean truncated, Operation operation, String traceParent) {
        this(requestId, publicModel, target, stream, status, usage, attempts, startEpochMillis, totalNanos, ttftNanos,
                overheadNanos, errorType, truncated, null, operation, traceParent);
    }
}
