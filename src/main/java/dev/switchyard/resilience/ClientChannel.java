package dev.switchyard.resilience;

import dev.switchyard.model.ApiError;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/** The client's side of an exchange as the attempt loop sees it; the web front implements it. */
public interface ClientChannel {
    boolean closed();

    /** Runs once when the client goes away before the response ended. */
    void onClose(Runnable action);

    /** Commits a stream: status 200, SSE headers and provenance. */
    void startStream(Provenance provenance);

    /** @return true when the client's write queue is full: pause the upstream until {@link #onDrain} */
    boolean write(Buffer sse);

    void onDrain(Runnable action);

    void endStream();

    /** Writes {@code last} and ends the stream; an implementation may do both in one network write. */
    default void endStream(Buffer last) {
        write(last);
        endStream();
    }

    void sendJson(int status, Provenance provenance, Buffer body);

    /** @param retryAfter sent as {@code Retry-After} when not null */
    void sendError(ApiError error, Provenance provenance, Duration retryAfter);
}
