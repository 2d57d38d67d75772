package dev.switchyard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request a {@link MockUpstream} received, exactly as it arrived, plus what became of its connection.
 */
public final class RecordedRequest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int index;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final CompletableFuture<Void> clientGone = new CompletableFuture<>();
    private final CompletableFuture<Void> replied = new CompletableFuture<>();
    private JsonNode json;

    RecordedRequest(int index, String method, String path, Map<String, List<String>> headers, byte[] body) {
        this.index = index;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
    }

    /** 0-based arrival order at this mock. */
    public int index() {
        return index;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Every header, names lower-cased, values in arrival order. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The exact body bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public synchronized JsonNode json() {
        if (json == null) {
            try {
                json = MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("upstream request body is not JSON: " + bodyText(), e);
            }
        }
        return json;
    }

    public String model() {
        return json().path("model").asText(null);
    }

    public boolean stream() {
        return json().path("stream").asBoolean(false);
    }

    public boolean includeUsage() {
        return json().path("stream_options").path("include_usage").asBoolean(false);
    }

    /**
     * Completes when the client (the gateway) closed the connection or reset the request before the
     * mock finished its reply — i.e. it cancelled. Never completes for a reply that ran to its end,
     * nor when the mock itself dropped the connection.
     */
    public CompletableFuture<Void> clientGone() {
        return clientGone;
    }

    /** Completes when the mock has written its whole reply (not for hangs and drops). */
    public CompletableFuture<Void> replied() {
        return replied;
    }

    void markClientGone() {
        clientGone.complete(null);
    }

    void markReplied() {
        replied.complete(null);
    }

    @Override
    public String toString() {
        return "RecordedRequest#" + index + "[" + method + " " + path + " " + bodyText() + "]";
    }
}
