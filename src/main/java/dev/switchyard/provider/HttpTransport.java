package dev.switchyard.provider;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * HTTP(S) to one provider: a keep-alive connection pool of its own, TLS with certificate and host
 * verification and SNI, HTTP/2 when the upstream offers it through ALPN, and the standard proxy
 * variables. One instance per configured provider, so a slow provider cannot starve another's pool.
 */
public final class HttpTransport implements UpstreamTransport {
    /** Endpoints are a few per provider (chat, embeddings…): beyond this many, URLs are parsed per request. */
    private static final int MAX_ENDPOINTS = 64;

    private final HttpClient client;
    /**
     * Upstream URLs parsed once: {@link RequestOptions#setAbsoluteURI(String)} runs {@code java.net.URL}'s parser on
     * every call, about 1.5% of the event loop's time in the load bench's profile.
     */
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    /** What {@link RequestOptions#setAbsoluteURI(String)} would set, for one URL. */
    private record Endpoint(String host, int port, boolean ssl, String uri) {
        static Endpoint of(String absoluteUrl) {
            RequestOptions ro = new RequestOptions().setAbsoluteURI(absoluteUrl);
            return new Endpoint(ro.getHost(), ro.getPort(), Boolean.TRUE.equals(ro.isSsl()), ro.getURI());
        }

        RequestOptions options() {
            return new RequestOptions().setHost(host).setPort(port).setSsl(ssl).setURI(uri);
        }
    }

    public HttpTransport(Vertx vertx, ProviderConfig provider, String baseUrl, Timeouts timeouts, Function<String, String> env) {
        URI base = URI.create(baseUrl);
        boolean https = "https".equals(base.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) timeouts.connect().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024);
        if (https) {
            options.setSsl(true).setVerifyHost(true).setForceSni(true).setTrustAll(false)
                    .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
            if (provider.caFile() != null) options.setTrustOptions(new PemTrustOptions().addCertPath(provider.caFile().toString()));
        }
        ProxyFromEnv.apply(options, base, env);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(provider.maxConnections()).setHttp2MaxSize(Math.max(1, provider.maxConnections() / 50));
        this.client = vertx.createHttpClient(options, pool);
    }

    @Override
    public UpstreamCall send(UpstreamRequest request) {
        RequestOptions ro = endpoint(request.absoluteUrl()).options().setMethod(HttpMethod.POST).setHeaders(request.headers());
        HttpClientRequest[] holder = new HttpClientRequest[1];
        boolean[] cancelled = new boolean[1];
        Future<UpstreamResponse> response = client.request(ro).compose(req -> {
            holder[0] = req;
            if (cancelled[0]) {
                req.reset();
                return Future.failedFuture("cancelled");
            }
            // The connection is up from here on: a failure now means the upstream took the request and hung up.
            return req.send(request.body()).<UpstreamResponse>map(resp -> {
                resp.pause(); // hold the body until the caller has attached its handlers
                return new HttpUpstreamResponse(req, resp);
            }).recover(e -> Future.failedFuture(UpstreamException.dropped(e.getMessage(), e)));
        });
        return UpstreamCall.of(response, () -> {
            cancelled[0] = true;
            if (holder[0] != null) holder[0].reset();
        });
    }

    private Endpoint endpoint(String url) {
        Endpoint e = endpoints.get(url);
        if (e != null) return e;
        e = Endpoint.of(url);
        if (endpoints.size() < MAX_ENDPOINTS) endpoints.put(url, e);
        return e;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public void retire(java.time.Duration grace) {
        client.shutdown(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private record HttpUpstreamResponse(HttpClientRequest request, HttpClientResponse response) implements UpstreamResponse {
        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public MultiMap headers() {
            return response.headers();
        }

        @Override
        public ReadStream<Buffer> body() {
            return response;
        }

        @Override
        public void cancel() {
            request.reset();
        }
    }
}
