package dev.switchyard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One scripted behaviour of a {@link MockUpstream} for one request. Replies are plain data so a test
 * reads as a table of what the upstream does; {@link Dynamic} covers answers that depend on the request.
 */
public sealed interface Reply {

    /** A complete HTTP answer: status, headers and body (JSON unless a content-type header says otherwise). */
    record Json(int status, Map<String, String> headers, String body) implements Reply {
        public Json {
            headers = Map.copyOf(headers);
        }

        /** The same answer with one more header (e.g. {@code retry-after}). */
        public Json header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Json(status, h, body);
        }
    }

    /** How an SSE reply ends once its frames are written. */
    enum End {
        /** ends the HTTP response normally */
        FINISH,
        /** closes the TCP connection: the reader sees a broken stream */
        DROP,
        /** leaves the response open forever: the reader sees a stall */
        HANG
    }

    /**
     * A 200 {@code text/event-stream} answer.
     *
     * @param frames  raw SSE frames written one by one ({@code data: …\n\n}), usually ending with {@code data: [DONE]}
     * @param gap     pause before every frame after the first
     * @param pauseAt before writing frame {@code pauseAt}, wait for {@code gate} (-1 = never pause)
     * @param gate    what the paused stream waits for; a test completes it to let the stream go on
     */
    record Sse(int status, Map<String, String> headers, List<String> frames, Duration gap, End end,
            int pauseAt, CompletionStage<?> gate) implements Reply {
        public Sse {
            headers = Map.copyOf(headers);
            frames = List.copyOf(frames);
        }

        /** Waits {@code gap} between frames: the reader receives them as separate chunks. */
        public Sse gap(Duration gap) {
            return new Sse(status, headers, frames, gap, end, pauseAt, gate);
        }

        /** Writes the first {@code n} frames, then closes the connection (no {@code [DONE]} unless among them). */
        public Sse dropAfter(int n) {
            return new Sse(status, headers, frames.subList(0, n), gap, End.DROP, pauseAt, gate);
        }

        /** Writes the first {@code n} frames, then stalls forever with the response open. */
        public Sse hangAfter(int n) {
            return new Sse(status, headers, frames.subList(0, n), gap, End.HANG, pauseAt, gate);
        }

        /** Writes the first {@code n} frames, then an in-band {@code data: {"error":…}} event, then ends the response. */
        public Sse errorAfter(int n, String errorJson) {
            List<String> f = new ArrayList<>(frames.subList(0, n));
            f.add(data(errorJson));
            return new Sse(status, headers, f, gap, End.FINISH, pauseAt, gate);
        }

        /** Before frame {@code n}, waits until {@code gate} completes (from any thread). */
        public Sse pauseBefore(int n, CompletionStage<?> gate) {
            return new Sse(status, headers, frames, gap, end, n, gate);
        }

        /** Drops the final {@code [DONE]} frame, ending the response cleanly without it. */
        public Sse withoutDone() {
            List<String> f = new ArrayList<>(frames);
            if (!f.isEmpty() && f.get(f.size() - 1).equals(DONE)) f.remove(f.size() - 1);
            return new Sse(status, headers, f, gap, end, pauseAt, gate);
        }
    }

    /** Reads the request and never answers: no status, no headers. */
    record Hang() implements Reply {}

    /** Closes the connection after reading the request, before sending a single byte. */
    record Drop() implements Reply {}

    /** Waits, then plays {@code then} (unless the client went away meanwhile). */
    record Delayed(Duration delay, Reply then) implements Reply {}

    /** Decides from the request, like a real provider would (stream or not, usage or not). */
    record Dynamic(Function<RecordedRequest, Reply> decide) implements Reply {}

    String DONE = "data: [DONE]\n\n";

    // ---- factories ----

    static Json json(String body) {
        return new Json(200, Map.of(), body);
    }

    static Json status(int status, String body) {
        return new Json(status, Map.of(), body);
    }

    /** An error answer in OpenAI's shape. */
    static Json error(int status, String type, String code, String message) {
        return new Json(status, Map.of(), OpenAiBodies.error(type, code, null, message));
    }

    /** Streams each payload as a {@code data:} event, then {@code data: [DONE]}. */
    static Sse sse(List<String> payloads) {
        List<String> frames = new ArrayList<>(payloads.size() + 1);
        for (String p : payloads) frames.add(data(p));
        frames.add(DONE);
        return new Sse(200, Map.of(), frames, Duration.ZERO, End.FINISH, -1, CompletableFuture.completedFuture(null));
    }

    static Sse sse(String... payloads) {
        return sse(List.of(payloads));
    }

    /** Streams exactly these raw frames (for odd framing: comments, CRLF, split lines). */
    static Sse rawSse(List<String> frames) {
        return new Sse(200, Map.of(), frames, Duration.ZERO, End.FINISH, -1, CompletableFuture.completedFuture(null));
    }

    static Hang hang() {
        return new Hang();
    }

    static Drop drop() {
        return new Drop();
    }

    static Delayed after(Duration delay, Reply then) {
        return new Delayed(delay, then);
    }

    static Dynamic dynamic(Function<RecordedRequest, Reply> decide) {
        return new Dynamic(decide);
    }

    /**
     * Answers like OpenAI would with this text: a completion, or for {@code stream:true} one chunk per
     * piece, with the usage chunk (and {@code "usage":null} on every other chunk) only when the request
     * asked for {@code stream_options.include_usage}.
     */
    static Dynamic text(String... pieces) {
        return new Dynamic(r -> {
            String model = r.model();
            if (!r.stream()) return json(OpenAiBodies.chatCompletion(model, String.join("", pieces)));
            return sse(OpenAiBodies.textChunks(model, r.includeUsage(), pieces));
        });
    }

    static String data(String payload) {
        return "data: " + payload + "\n\n";
    }
}
