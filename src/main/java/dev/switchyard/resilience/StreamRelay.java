package dev.switchyard.resilience;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.SseFramer;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Relays one upstream stream to the client. Until the first content token it holds chunks back, so a
 * failure there (error status, in-band error, dropped connection, first-token timeout) moves on to the
 * next target with nothing sent; after it, a stall or a break ends the client's stream with an explicit
 * error event and no {@code [DONE]}, so half an answer never looks like a whole one.
 */
final class StreamRelay implements StreamSink {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
    private static final JsonFactory JSON = new JsonFactory();

    private final RequestRun run;
    private final Attempt attempt;
    private final UpstreamResponse response;
    private final StreamTranslator translator;
    private final SseFramer framer;
    private final long idleNanos;
    private List<Buffer> held = new ArrayList<>(2);
    /**
     * Committed events not yet written. A client write outside the client connection's own read is
     * flushed at once (a syscall each), so the events of one upstream read go out as one write.
     */
    private final List<Buffer> outgoing = new ArrayList<>(4);
    private boolean ended;
    private long lastChunkNanos;
    /** The upstream is paused because the client is not keeping up: its silence is not a stall. */
    private boolean heldByClient;

    StreamRelay(RequestRun run, Attempt attempt, UpstreamResponse response) {
        this.run = run;
        this.attempt = attempt;
        this.response = response;
        this.translator = attempt.target.provider().adapter().newStreamTranslator(run.request, run.request.clientWantsUsage());
        this.framer = new SseFramer(ev -> {
            if (!ended && run.isCurrent(attempt)) translator.onEvent(ev, this);
        });
        this.idleNanos = attempt.target.timeouts().idle().toNanos();
    }

    void start() {
        response.body().handler(buf -> {
            if (ended || !run.isCurrent(attempt)) return;
            lastChunkNanos = System.nanoTime();
            framer.feed(buf);
            flush();
        });
        response.body().exceptionHandler(e -> broken(UpstreamFailure.transientError("dropped",
                "upstream connection lost mid-stream" + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
        response.body().endHandler(v -> {
            if (ended || !run.isCurrent(attempt)) return;
            framer.end();
            if (!ended) translator.onEnd(this);
            if (!ended) broken(UpstreamFailure.transientError("dropped", "upstream closed the stream before it was complete"));
        });
        response.body().resume();
    }

    @Override
    public void chunk(Buffer sse, boolean content) {
        if (ended) return;
        if (held != null) {
            held.add(sse);
            if (content) commit();
            return;
        }
        write(sse);
    }

    private void commit() {
        run.timeouts.cancel(attempt.firstTokenTimeout);
        attempt.firstTokenTimeout = null;
        run.commit(attempt);
        List<Buffer> pending = held;
        held = null;
        for (Buffer b : pending) write(b);
        armIdleTimer(idleNanos);
    }

    private void write(Buffer sse) {
        outgoing.add(sse);
    }

    /** Writes what this upstream read produced; pauses the upstream while the client is slow. */
    private void flush() {
        if (outgoing.isEmpty()) return;
        if (run.client.write(drainOutgoing())) {
            heldByClient = true;
            response.body().pause();
            run.client.onDrain(() -> {
                if (ended) return;
                heldByClient = false;
                lastChunkNanos = System.nanoTime(); // the idle clock restarts when the upstream may speak again
                response.body().resume();
            });
        }
    }

    /** Ends the client's stream with the pending events and {@code last}, in one write. */
    private void finish(Buffer last) {
        outgoing.add(last);
        run.client.endStream(drainOutgoing());
    }

    private Buffer drainOutgoing() {
        Buffer out;
        if (outgoing.size() == 1) {
            out = outgoing.get(0);
        } else {
            int size = 0;
            for (Buffer b : outgoing) size += b.length();
            out = Buffer.buffer(size);
            for (Buffer b : outgoing) out.appendBuffer(b);
        }
        outgoing.clear();
        return out;
    }

    /** One timeout per idle period, re-armed for the remainder, instead of one per chunk. */
    private void armIdleTimer(long delayNanos) {
        attempt.idleTimeout = run.timeouts.schedule(Math.max(1, delayNanos / 1_000_000), () -> {
            attempt.idleTimeout = null;
            if (ended) return;
            long quiet = System.nanoTime() - lastChunkNanos;
            if (heldByClient) {
                armIdleTimer(idleNanos); // a slow reader is not the upstream's fault
            } else if (quiet >= idleNanos) {
                broken(UpstreamFailure.timeout("idle " + idleNanos / 1_000_000 + "ms"));
            } else {
                armIdleTimer(idleNanos - quiet);
            }
        });
    }

    @Override
    public void usage(Usage usage) {
        attempt.usage = usage;
    }

    @Override
    public void error(UpstreamFailure failure) {
        broken(failure);
    }

    @Override
    public void done(String finishReason) {
        if (ended) return;
        if (held != null) commit(); // an answer without content (e.g. empty completion) is still complete
        ended = true;
        finish(DONE);
        run.streamEnded(attempt, null);
    }

    private void broken(UpstreamFailure failure) {
        if (ended || !run.isCurrent(attempt)) return;
        ended = true;
        if (held != null) {
            run.failAttempt(attempt, failure); // nothing reached the client: fail over transparently
            return;
        }
        ApiError e = new ApiError(502, "api_error", failure.label().equals("timeout") ? "stream_timeout" : "stream_broken", null,
                "The upstream " + attempt.target.id() + " failed after the answer had started (" + failure.message()
                        + "); the answer is incomplete.");
        finish(errorEvent(e));
        run.streamEnded(attempt, failure);
    }

    static Buffer errorEvent(ApiError e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            e.writeBody(g);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return Buffer.buffer(out.size() + 8).appendString("data: ").appendBytes(out.toByteArray()).appendString("\n\n");
    }
}
