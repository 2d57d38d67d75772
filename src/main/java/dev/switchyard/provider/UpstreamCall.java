package dev.switchyard.provider;

import io.vertx.core.Future;

/** A request in flight: its response when it arrives, and a way to abandon it before then. */
public interface UpstreamCall {
    Future<UpstreamResponse> response();

    /** Abandons the call; once the response arrived, {@link UpstreamResponse#cancel()} does the same. */
    void cancel();

    static UpstreamCall of(Future<UpstreamResponse> response, Runnable cancel) {
        return new UpstreamCall() {
            @Override
            public Future<UpstreamResponse> response() {
                return response;
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }
}
