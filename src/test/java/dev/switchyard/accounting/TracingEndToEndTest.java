package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.tracing.Tracing;
import dev.switchyard.app.Observability;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.provider.ProviderRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Traces from real requests: the client's traceparent reaches the spans, and OTLP/HTTP export works. */
class TracingEndToEndTest {
    static final String KEY = "sk-trace-test";
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT = "b7ad6b7169203331";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT + "-01";
    static final String YAML = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              keys: [{ name: app, key: %s }]
            providers:
              flaky:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 4, failure_rate: 1, failure: status, failure_status: 503 }
              steady:
                type: simulated
                simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 6 }
            models:
              chat:
                targets: [flaky/sim-large, steady/sim-medium]
            %s
            """;

    @Test
    void spansCarryTheClientsTraceAndOneChildPerAttempt() throws Exception {
        String yaml = YAML.formatted(KEY, "");
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        Tracing tracing = Tracing.withExporter(exporter, "test",
                Observability.labels(new ConfigLoader(ProviderRegistry.standard(), n -> null).parse(yaml, "t"), ProviderRegistry.standard()));
        List<SpanData> spans;
        try (ObservedGateway gw = ObservedGateway.start(yaml, System::currentTimeMillis, tracing)) {
            assertThat(gw.post("/v1/chat/completions", KEY, "{\"model\":\"chat\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);
            gw.awaitRecorded(1);
            assertThat(tracing.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            spans = exporter.getFinishedSpanItems(); // before close: shutting the exporter down clears it
        }
        assertThat(spans).hasSize(3);
        SpanData request = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(request.getName()).isEqualTo("chat chat");
        assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(request.getParentSpanId()).isEqualTo(PARENT);
        assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(6);
        assertThat(request.getEvents()).extracting(e -> e.getName()).containsExactly("gen_ai.first_token");
        List<SpanData> attempts = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        assertThat(attempts).extracting(SpanData::getName).containsExactly("chat sim-large", "chat sim-medium");
        for (SpanData a : attempts) {
            assertThat(a.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(a.getStartEpochNanos()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
            assertThat(a.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());
        }
        assertThat(attempts.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
        // the second attempt starts after the first one ended
        assertThat(attempts.get(1).getStartEpochNanos()).isGreaterThanOrEqualTo(attempts.get(0).getEndEpochNanos());
        assertThat(attempts.get(1).getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("sim-medium");
    }

    @Test
    void exportsOtlpHttpToTheConfiguredEndpoint() throws Exception {
        Vertx vertx = Vertx.vertx();
        Promise<Buffer> body = Promise.promise();
        Promise<String> contentType = Promise.promise();
        HttpServer collector = vertx.createHttpServer().requestHandler(req -> {
            if (!req.path().equals("/v1/traces") || !req.method().name().equals("POST")) {
                req.response().setStatusCode(404).end();
                return;
            }
            contentType.tryComplete(req.getHeader("content-type"));
            req.body().onSuccess(b -> {
                req.response().putHeader("content-type", "application/x-protobuf").end();
                body.tryComplete(b);
            });
        }).listen(0, "127.0.0.1").await();
        try {
            String yaml = YAML.formatted(KEY, "observability: { otlp_endpoint: \"http://127.0.0.1:" + collector.actualPort() + "\" }");
            try (ObservedGateway gw = ObservedGateway.start(yaml)) {
                assertThat(gw.observability.tracing()).isNotNull();
                assertThat(gw.post("/v1/chat/completions", KEY, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);
                gw.awaitRecorded(1);
                gw.observability.tracing().flush().join(10, TimeUnit.SECONDS);
                Buffer received = body.future().await(10, TimeUnit.SECONDS);
                assertThat(contentType.future().await(1, TimeUnit.SECONDS)).isEqualTo("application/x-protobuf");
                byte[] bytes = received.getBytes();
                assertThat(contains(bytes, HexFormat.of().parseHex(TRACE_ID))).as("trace id in the export").isTrue();
                assertThat(contains(bytes, HexFormat.of().parseHex(PARENT))).as("parent span id in the export").isTrue();
                for (String s : List.of("switchyard", "chat chat", "chat sim-large", "chat sim-medium", "gen_ai.request.model")) {
                    assertThat(contains(bytes, s.getBytes())).as(s).isTrue();
                }
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void noEndpointNoTracing() throws Exception {
        try (ObservedGateway gw = ObservedGateway.start(YAML.formatted(KEY, ""))) {
            assertThat(gw.observability.tracing()).isNull();
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
