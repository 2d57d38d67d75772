package dev.switchyard.resilience;

import dev.switchyard.model.ApiException;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.UpstreamException;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The non-streaming half of reading an attempt's reply for {@link RequestRun}: whole bodies (answers and
 * error bodies) with a size limit, decoding, and naming transport failures. Every failure goes back to the
 * run as a classified {@link UpstreamFailure}.
 */
final class ReplyReader {
    private ReplyReader() {}

    /** A failed call: the transport's own classification, else a connect error or timeout. */
    static UpstreamFailure connectFailure(Throwable t) {
        if (t instanceof UpstreamException classified) return classified.failure();
        // Vert.x wraps handshake failures as "Failed to create SSL connection": the reason (untrusted
        // certificate, wrong host name) is at the bottom of the chain, and it is what an operator needs.
        Throwable root = t;
        boolean tls = false;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            tls |= c instanceof javax.net.ssl.SSLException;
            root = c;
        }
        if (tls) {
            return UpstreamFailure.transientError("tls_error", "TLS handshake failed: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String label = msg.contains("timed out") || msg.contains("timeout") ? "connect_timeout" : "connect_error";
        return UpstreamFailure.transientError(label, msg);
    }

    /** Reads the whole body, then hands it on; a body over {@code limit} or a lost connection fails the attempt. */
    static void readBody(RequestRun run, Attempt a, UpstreamResponse resp, int limit, Consumer<Buffer> then) {
        Buffer acc = Buffer.buffer();
        resp.body().handler(b -> {
            if (!run.isCurrent(a)) return;
            if (acc.length() + b.length() > limit) {
                run.failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, resp.status(), "too_large", null, null,
                        "upstream body over " + limit + " bytes"));
                return;
            }
            acc.appendBuffer(b);
        });
        resp.body().exceptionHandler(e -> run.failAttempt(a,
                UpstreamFailure.transientError("dropped", "connection lost mid-response: " + e.getMessage())));
        resp.body().endHandler(v -> {
            if (run.isCurrent(a)) then.accept(acc);
        });
        resp.body().resume();
    }

    /** Decodes a complete 2xx body; one that cannot be read fails the attempt (and returns null). */
    static DecodedResponse decode(RequestRun run, Attempt a, Buffer body) {
        try {
            return a.target.provider().adapter().decode(body, run.request);
        } catch (ApiException e) {
            run.failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, 200, "bad_response", null, null, e.getMessage()));
        } catch (RuntimeException e) {
            run.failAttempt(a, new UpstreamFailure(FailureKind.FAILOVER, 200, "bad_response", null, null,
                    "upstream answer could not be read: " + e.getClass().getSimpleName()));
        }
        return null;
    }
}
