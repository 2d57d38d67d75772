package dev.switchyard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP/1.1 client that shows the gateway's bytes as they are — for what an SDK would hide (exact
 * stream frames, absent fields, error bodies) and for clients that hang up mid-exchange. Never uses a
 * proxy: tests talk to 127.0.0.1 only.
 */
public final class RawClient implements AutoCloseable {
    private static final ObjectMapper M = new ObjectMapper();
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** @param baseUrl e.g. {@code http://127.0.0.1:8080}; paths are appended to it */
    public RawClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A complete response. */
    public record Response(int status, HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return M.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** @param headers name, value, name, value… */
    public Response send(String method, String path, byte[] body, String... headers) {
        return complete(await(http.sendAsync(request(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body), headers), HttpResponse.BodyHandlers.ofByteArray())));
    }

    /** Sends the body without a Content-Length (chunked transfer encoding). */
    public Response postChunked(String path, byte[] body, String... headers) {
        HttpRequest.BodyPublisher p = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        return complete(await(http.sendAsync(request("POST", path, p, headers), HttpResponse.BodyHandlers.ofByteArray())));
    }

    /**
     * Sends {@code Expect: 100-continue} and the body only once the server agreed (as curl does for bodies
     * over 1 KiB); a server that refuses first (401, 413) never receives the body.
     */
    public Response postExpectingContinue(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return complete(await(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())));
    }

    /** Starts a request and returns at once; cancelling the future ({@code cancel(true)}) aborts the exchange. */
    public CompletableFuture<HttpResponse<byte[]>> postAsync(String path, String body, String... headers) {
        return http.sendAsync(request("POST", path, HttpRequest.BodyPublishers.ofString(body), headers),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends a request and returns as soon as the status and headers arrived; read the body as it comes. */
    public OpenStream openStream(String path, String body, String... headers) {
        HttpResponse<InputStream> r = await(http.sendAsync(request("POST", path, HttpRequest.BodyPublishers.ofString(body), headers),
                HttpResponse.BodyHandlers.ofInputStream()));
        return new OpenStream(r);
    }

    /** A response whose body is still arriving. Closing it before the end hangs up on the server. */
    public static final class OpenStream implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        OpenStream(HttpResponse<InputStream> response) {
            this.response = response;
        }

        public int status() {
            return response.statusCode();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The next SSE frame without its terminating blank line, or null at the end of the body. */
        public String nextEvent() throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            InputStream in = response.body();
            int b;
            while ((b = in.read()) >= 0) {
                seen.write(b);
                frame.write(b);
                byte[] f = frame.toByteArray();
                int n = f.length;
                if (n >= 2 && f[n - 1] == '\n' && f[n - 2] == '\n') return new String(f, 0, n - 2, StandardCharsets.UTF_8);
            }
            return frame.size() == 0 ? null : frame.toString(StandardCharsets.UTF_8);
        }

        /** Reads to the end of the body; returns everything read through this stream, from the start. */
        public String readAll() throws IOException {
            response.body().transferTo(seen);
            return seen.toString(StandardCharsets.UTF_8);
        }

        /** Hangs up: the server sees the connection close mid-response. */
        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }

    private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, body)
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b.build();
    }

    private static Response complete(HttpResponse<byte[]> r) {
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("no response within 30s", e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
