package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.provider.Capabilities;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.provider.ProviderType;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upstream failures that never produce an HTTP answer still reach the client as classified OpenAI errors. */
class GatewayUpstreamFailuresTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    static Vertx vertx;
    static SelfSignedCertificate cert;
    static HttpServer tlsUpstream;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        cert = SelfSignedCertificate.create("localhost");
        tlsUpstream = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(req -> req.response().putHeader("content-type", "application/json").end(COMPLETION))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        cert.delete();
    }

    @Test
    void tlsUpstreamTrustedThroughCaFileAnswersAndAnUntrustedOneIsATlsError() throws Exception {
        String base = "https://localhost:" + tlsUpstream.actualPort() + "/v1";
        String yaml = """
                auth: {keys: [{name: t, key: sk-test-client}]}
                providers:
                  secure: {type: openai, api_key: k, base_url: "%s", ca_file: "%s"}
                  insecure: {type: openai, api_key: k, base_url: "%s"}
                models:
                  trusted: {targets: [secure/gpt]}
                  untrusted: {targets: [insecure/gpt]}
                """.formatted(base, cert.certificatePath(), base);
        try (GatewayHarness g = GatewayHarness.start(vertx, ProviderRegistry.standard(), yaml)) {
            GatewayHarness.Reply ok = g.post("/v1/chat/completions", CHAT.formatted("trusted"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(M.readTree(ok.body())).isEqualTo(M.readTree(COMPLETION));

            GatewayHarness.Reply bad = g.post("/v1/chat/completions", CHAT.formatted("untrusted"));
            assertThat(bad.status()).isEqualTo(502);
            JsonNode error = M.readTree(bad.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("upstream_error");
            assertThat(error.get("message").asText()).startsWith("All 1 target for model 'untrusted' failed: insecure/gpt → TLS handshake failed: ")
                    .contains("certification path");
            assertThat(bad.headers().get("x-switchyard-attempts")).matches("insecure/gpt:tls_error:\\d+ms");
        }
    }

    /** A compat adapter whose encode has a bug. */
    record BrokenAdapter(ProviderAdapter delegate) implements ProviderAdapter {
        @Override
        public Capabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public UpstreamRequest encode(InboundRequest request, ProviderConfig provider, String upstreamModel, boolean askForUsage) {
            throw new IllegalStateException("adapter bug");
        }

        @Override
        public DecodedResponse decode(Buffer body, InboundRequest request) {
            return delegate.decode(body, request);
        }

        @Override
        public StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
            return delegate.newStreamTranslator(request, clientWantsUsage);
        }

        @Override
        public UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
            return delegate.classify(status, headers, body);
        }
    }

    @Test
    void anAdapterThatThrowsCostsItsTargetNotTheRequest() throws Exception {
        ProviderRegistry registry = ProviderRegistry.standard();
        ProviderType sim = registry.type("simulated");
        registry.register(new ProviderType("broken", false, sim.defaultBaseUrl(), true,
                p -> new BrokenAdapter(sim.adapter().apply(p))));
        String yaml = """
                auth: {keys: [{name: t, key: sk-test-client}]}
                providers:
                  bad: {type: broken}
                  down: {type: simulated, simulate: {first_token: 1ms, failure_rate: 1, failure: status, failure_status: 503}}
                  sim: {type: simulated, simulate: {first_token: 1ms, tokens_per_second: 0, output_tokens: 3}}
                models:
                  first: {targets: [bad/x, sim/y]}
                  later: {targets: [down/z, bad/x, sim/y]}
                  only: {targets: [bad/x]}
                """;
        try (GatewayHarness g = GatewayHarness.start(vertx, registry, yaml)) {
            GatewayHarness.Reply first = g.post("/v1/chat/completions", CHAT.formatted("first"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers().get("x-switchyard-attempts")).matches("bad/x:encode_error:0ms, sim/y:200:\\d+ms");

            // reached from a callback after another target failed: must not escape to the event loop
            GatewayHarness.Reply later = g.post("/v1/chat/completions", CHAT.formatted("later"));
            assertThat(later.status()).isEqualTo(200);
            assertThat(later.headers().get("x-switchyard-attempts")).matches("down/z:503:\\d+ms, bad/x:encode_error:0ms, sim/y:200:\\d+ms");

            GatewayHarness.Reply only = g.post("/v1/chat/completions", CHAT.formatted("only"));
            assertThat(only.status()).isEqualTo(502);
            assertThat(M.readTree(only.body()).at("/error/message").asText())
                    .contains("bad/x → the gateway could not encode the request for this target (IllegalStateException)");
        }
    }
}
