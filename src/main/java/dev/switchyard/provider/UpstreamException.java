package dev.switchyard.provider;

/**
 * A transport failure the transport itself could classify — e.g. the upstream accepted the connection and
 * then closed it ({@code dropped}), which the attempt loop could not tell from a refused connection by the
 * exception alone. Transports fail an {@link UpstreamCall}'s response with it; anything else is treated as a
 * connect error.
 */
public final class UpstreamException extends RuntimeException {
    private final transient UpstreamFailure failure;

    public UpstreamException(UpstreamFailure failure, Throwable cause) {
        super(failure.message(), cause, false, false);
        this.failure = failure;
    }

    public UpstreamFailure failure() {
        return failure;
    }

    /** The upstream took the request and closed the connection before the response began. */
    public static UpstreamException dropped(String detail, Throwable cause) {
        return new UpstreamException(UpstreamFailure.transientError("dropped",
                "upstream closed the connection before answering" + (detail == null ? "" : ": " + detail)), cause);
    }
}
