package dev.switchyard.provider.simulated;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/** A body that a producer pushes into, with the demand (pause/resume/fetch) of a real response. */
final class QueuedBody implements ReadStream<Buffer> {
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private boolean ended;
    private Throwable failure;
    private boolean finished;

    void push(Buffer b) {
        queue.add(b);
        drain();
    }

    void end() {
        ended = true;
        drain();
    }

    void fail(Throwable t) {
        failure = t;
        drain();
    }

    private void drain() {
        while (demand > 0 && !queue.isEmpty() && handler != null) {
            if (demand != Long.MAX_VALUE) demand--;
            handler.handle(queue.poll());
        }
        if (queue.isEmpty() && !finished) {
            if (failure != null && exceptionHandler != null) {
                finished = true;
                exceptionHandler.handle(failure);
            } else if (ended && endHandler != null) {
                finished = true;
                endHandler.handle(null);
            }
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        handler = h;
        drain();
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        demand = Long.MAX_VALUE;
        drain();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = demand == Long.MAX_VALUE ? demand : Math.min(Long.MAX_VALUE - 1, demand + amount);
        drain();
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        endHandler = h;
        drain();
        return this;
    }
}
