package dev.switchyard.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** An upstream's answer as it starts to arrive: status and headers now, the body as a stream. */
public interface UpstreamResponse {
    int status();

    MultiMap headers();

    ReadStream<Buffer> body();

    /** Abandons the exchange at once (client gone, timeout, lost hedge): the upstream stops generating. */
    void cancel();
}
