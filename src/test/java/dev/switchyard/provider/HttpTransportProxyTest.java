package dev.switchyard.provider;

import static dev.switchyard.provider.Upstreams.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loopback forward proxy (it answers absolute-URI requests itself) and a loopback upstream: the
 * proxy variables handed to {@link HttpTransport} decide which of them sees the request.
 */
class HttpTransportProxyTest {
    static Vertx vertx;
    static HttpServer upstream;
    static HttpServer proxy;
    static final List<String> upstreamSaw = new CopyOnWriteArrayList<>();
    static final List<String> proxySaw = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = await(vertx.createHttpServer().requestHandler(req -> {
            upstreamSaw.add(req.uri());
            req.response().end("{\"from\":\"upstream\"}");
        }).listen(0, "127.0.0.1"));
        proxy = await(vertx.createHttpServer().requestHandler(req -> {
            proxySaw.add(req.method() + " " + req.uri() + " auth=" + req.getHeader("proxy-authorization"));
            req.response().end("{\"from\":\"proxy\"}");
        }).listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    @BeforeEach
    void clear() {
        upstreamSaw.clear();
        proxySaw.clear();
    }

    private static String call(Map<String, String> env) throws Exception {
        String base = "http://127.0.0.1:" + upstream.actualPort() + "/v1";
        HttpTransport t = new HttpTransport(vertx, Upstreams.provider(base, null), base, Timeouts.DEFAULTS, env::get);
        try {
            UpstreamResponse r = await(t.send(Upstreams.chat(base + "/chat/completions")).response());
            return await(Upstreams.body(r)).toString();
        } finally {
            t.close();
        }
    }

    private static String proxyUrl() {
        return "http://127.0.0.1:" + proxy.actualPort();
    }

    @Test
    void httpProxyVariableSendsTheRequestThroughTheProxy() throws Exception {
        assertThat(call(Map.of("HTTP_PROXY", proxyUrl()))).isEqualTo("{\"from\":\"proxy\"}");
        assertThat(proxySaw).containsExactly(
                "POST http://127.0.0.1:" + upstream.actualPort() + "/v1/chat/completions auth=null");
        assertThat(upstreamSaw).isEmpty();
    }

    @Test
    void lowerCaseVariableAndProxyCredentials() throws Exception {
        String withUser = proxyUrl().replace("http://", "http://alice:s3cret@");
        assertThat(call(Map.of("http_proxy", withUser))).isEqualTo("{\"from\":\"proxy\"}");
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(proxySaw).containsExactly(
                "POST http://127.0.0.1:" + upstream.actualPort() + "/v1/chat/completions auth=" + basic);
    }

    @Test
    void noProxyMatchGoesDirect() throws Exception {
        assertThat(call(Map.of("HTTP_PROXY", proxyUrl(), "NO_PROXY", "localhost,127.0.0.1"))).isEqualTo("{\"from\":\"upstream\"}");
        assertThat(call(Map.of("HTTP_PROXY", proxyUrl(), "no_proxy", "127.0.0.1:" + upstream.actualPort())))
                .isEqualTo("{\"from\":\"upstream\"}");
        assertThat(proxySaw).isEmpty();
        assertThat(upstreamSaw).containsExactly("/v1/chat/completions", "/v1/chat/completions");
    }

    @Test
    void httpsProxyVariableDoesNotApplyToPlainHttp() throws Exception {
        assertThat(call(Map.of("HTTPS_PROXY", proxyUrl()))).isEqualTo("{\"from\":\"upstream\"}");
        assertThat(proxySaw).isEmpty();
    }
}
