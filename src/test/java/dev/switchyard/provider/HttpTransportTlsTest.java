package dev.switchyard.provider;

import static dev.switchyard.provider.Upstreams.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchyard.config.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loopback HTTPS upstream with a self-signed certificate for {@code localhost}: the transport trusts it
 * only through the provider's {@code ca_file}, checks the host name, and sends SNI.
 */
class HttpTransportTlsTest {
    static Vertx vertx;
    static SelfSignedCertificate cert;
    static HttpServer server;
    static final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        cert = SelfSignedCertificate.create("localhost");
        HttpServerOptions o = new HttpServerOptions().setSsl(true).setSni(true).setUseAlpn(true)
                .setKeyCertOptions(cert.keyCertOptions());
        server = await(vertx.createHttpServer(o).requestHandler(req -> {
            seen.add("sni=" + req.connection().indicatedServerName() + " version=" + req.version()
                    + " auth=" + req.getHeader("authorization") + " path=" + req.path());
            req.response().putHeader("content-type", "application/json").end("{\"ok\":true}");
        }).listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
        cert.delete();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    /** The failure and its causes. */
    static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) out.add(c);
        return out;
    }

    private static HttpTransport transport(String base, Path ca) {
        return new HttpTransport(vertx, Upstreams.provider(base, ca), base, Timeouts.DEFAULTS, name -> null);
    }

    @Test
    void trustedThroughCaFileWithHostVerificationAndSni() throws Exception {
        String base = "https://localhost:" + server.actualPort() + "/v1";
        HttpTransport t = transport(base, Path.of(cert.certificatePath()));
        try {
            UpstreamResponse r = await(t.send(Upstreams.chat(base + "/chat/completions")).response());
            assertThat(r.status()).isEqualTo(200);
            assertThat(await(Upstreams.body(r)).toString()).isEqualTo("{\"ok\":true}");
            // SNI carried the host name, and ALPN negotiated HTTP/2 with a server that offers it
            assertThat(seen).containsExactly("sni=localhost version=HTTP_2 auth=null path=/v1/chat/completions");
        } finally {
            t.close();
        }
    }

    @Test
    void untrustedCertificateFailsTheCallWithATlsError() throws Exception {
        String base = "https://localhost:" + server.actualPort() + "/v1";
        HttpTransport t = transport(base, null); // system trust store only: a self-signed cert is refused
        try {
            Throwable failure = catchThrowable(() -> await(t.send(Upstreams.chat(base + "/chat/completions")).response()));
            assertThat(failure).isInstanceOf(SSLHandshakeException.class);
            assertThat(chain(failure)).anyMatch(CertificateException.class::isInstance); // PKIX: no trusted path
            assertThat(seen).isEmpty();
        } finally {
            t.close();
        }
    }

    @Test
    void certificateForAnotherHostIsRefused() throws Exception {
        // trusted certificate, but issued for "localhost", not for the address dialled
        String base = "https://127.0.0.1:" + server.actualPort() + "/v1";
        HttpTransport t = transport(base, Path.of(cert.certificatePath()));
        try {
            Throwable failure = catchThrowable(() -> await(t.send(Upstreams.chat(base + "/chat/completions")).response()));
            assertThat(failure).isInstanceOf(SSLHandshakeException.class);
            assertThat(chain(failure)).anyMatch(CertificateException.class::isInstance); // no name matching 127.0.0.1
            assertThat(seen).isEmpty();
        } finally {
            t.close();
        }
    }
}
