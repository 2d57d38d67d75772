package dev.switchyard.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/** Reads a request body up to a limit: a declared or actual size over it is refused without buffering it all. */
final class BodyReader {
    private BodyReader() {}

    static void read(HttpServerRequest req, long max, Consumer<byte[]> onBody, Runnable onTooLarge) {
        String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n > max) {
                tooLarge(req, onTooLarge);
                return;
            }
        }
        // Only now, with the key and the declared size accepted, invite a client that waits before sending
        // its body (curl does for bodies over 1 KiB); unanswered, it would stall until its own timeout.
        if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) req.response().writeContinue();
        Buffer acc = Buffer.buffer(declared != null ? (int) Math.min(max, Math.max(0, parse(declared))) : 1024);
        boolean[] over = new boolean[1];
        req.handler(b -> {
            if (over[0]) return;
            if (acc.length() + b.length() > max) {
                over[0] = true;
                tooLarge(req, onTooLarge);
                return;
            }
            acc.appendBuffer(b);
        });
        req.endHandler(v -> {
            if (!over[0]) onBody.accept(acc.getBytes());
        });
        req.resume();
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 1024;
        }
    }

    /** Answers 413 and closes the connection: the rest of an oversized body is not worth reading. */
    private static void tooLarge(HttpServerRequest req, Runnable onTooLarge) {
        req.response().headers().set(HttpHeaders.CONNECTION, "close");
        onTooLarge.run();
    }
}
