package dev.switchyard.accounting.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.Outcomes;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutcomeTracerTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_SPAN = "00f067aa0ba902b7";
    static final long START_MS = 1_700_000_000_000L;

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    final OutcomeTracer tracer = new OutcomeTracer(provider.get("test"), Outcomes.labels());

    @AfterEach
    void close() {
        provider.close();
    }

    private SpanData named(List<SpanData> spans, String name, long attempt) {
        return spans.stream().filter(s -> s.getName().equals(name)
                && (attempt == 0 || Long.valueOf(attempt).equals(s.getAttributes().get(OutcomeTracer.ATTEMPT_NUMBER))))
                .findFirst().orElseThrow();
    }

    @Test
    void aFailedOverRequestIsAServerSpanWithOneClientSpanPerAttempt() {
        AttemptLog log = Outcomes.log("openai/gpt-4o", "503", 2, 100, "local/sim-small", "200", 110, 50);
        tracer.accept(new ExchangeOutcome("req_9", "chat", "local/sim-small", false, 200, new Usage(12, 4, 0, 7, 0), log,
                START_MS, Outcomes.ms(170), 0, 1_500_000, null, false, Operation.CHAT,
                "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01"));

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(3);
        SpanData request = named(spans, "chat chat", 0);
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(request.getParentSpanId()).isEqualTo(PARENT_SPAN);
        assertThat(request.getStartEpochNanos()).isEqualTo(START_MS * 1_000_000);
        assertThat(request.getEndEpochNanos()).isEqualTo(START_MS * 1_000_000 + Outcomes.ms(170));
        assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.system"))).isEqualTo("simulated");
        assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("chat");
        assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("sim-small");
        assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12);
        assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(7);
        assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"))).isEqualTo(4);
        assertThat(request.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
        assertThat(request.getAttributes().get(OutcomeTracer.ATTEMPT_COUNT)).isEqualTo(2);
        assertThat(request.getAttributes().get(OutcomeTracer.REQUEST_ID)).isEqualTo("req_9");
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        SpanData failed = named(spans, "chat gpt-4o", 1);
        assertThat(failed.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(failed.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(failed.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(failed.getStartEpochNanos()).isEqualTo(START_MS * 1_000_000 + Outcomes.ms(2));
        assertThat(failed.getEndEpochNanos()).isEqualTo(START_MS * 1_000_000 + Outcomes.ms(102));
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("gen_ai.system"))).isEqualTo("openai");
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("api.example.test");
        assertThat(failed.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(8443);
        assertThat(failed.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
        assertThat(failed.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isNull();
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        SpanData answered = named(spans, "chat sim-small", 2);
        assertThat(answered.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(answered.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("sim-small");
        assertThat(answered.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(7);
        assertThat(answered.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void withoutTraceparentTheRequestIsARoot() {
        tracer.accept(Outcomes.chat("chat", "openai/gpt-4o", 200, Usage.NONE, Outcomes.log("openai/gpt-4o", "200", 1, 3), 4));
        SpanData request = named(exporter.getFinishedSpanItems(), "chat chat", 0);
        assertThat(request.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aMalformedTraceparentIsIgnored() {
        tracer.accept(new ExchangeOutcome("r", "chat", "openai/gpt-4o", false, 200, null,
                Outcomes.log("openai/gpt-4o", "200", 1, 3), START_MS, 4, 0, 0, null, false, Operation.CHAT, "garbage"));
        assertThat(named(exporter.getFinishedSpanItems(), "chat chat", 0).getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aBrokenStreamIsOneAttemptSpanWithItsFirstTokenAndAnError() {
        AttemptLog log = Outcomes.log("openai/gpt-4o", "200", 1, 20, "openai/gpt-4o", "dropped", 1, 300);
        tracer.accept(new ExchangeOutcome("r", "chat", "openai/gpt-4o", true, 200, null, log, START_MS, Outcomes.ms(310),
                Outcomes.ms(21), 0, "stream_broken", true, Operation.CHAT, null));
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(2);
        SpanData attempt = named(spans, "chat gpt-4o", 1);
        assertThat(attempt.getEndEpochNanos() - attempt.getStartEpochNanos()).isEqualTo(Outcomes.ms(300));
        assertThat(attempt.getEvents()).extracting(e -> e.getName()).containsExactly(OutcomeTracer.FIRST_TOKEN_EVENT);
        assertThat(attempt.getEvents().get(0).getEpochNanos()).isEqualTo(START_MS * 1_000_000 + Outcomes.ms(21));
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("dropped");
        SpanData request = named(spans, "chat chat", 0);
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(request.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("stream_broken");
    }

    @Test
    void aCompleteStreamAttemptLastsUntilTheRequestEnds() {
        AttemptLog log = Outcomes.log("openai/gpt-4o", "200", 1, 20);
        tracer.accept(new ExchangeOutcome("r", "chat", "openai/gpt-4o", true, 200, new Usage(5, 0, 0, 9, 0), log, START_MS,
                Outcomes.ms(500), Outcomes.ms(21), 0, null, false, Operation.CHAT, null));
        SpanData attempt = named(exporter.getFinishedSpanItems(), "chat gpt-4o", 1);
        assertThat(attempt.getEndEpochNanos()).isEqualTo(START_MS * 1_000_000 + Outcomes.ms(500));
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void embeddingsAreNamedForTheirOperation() {
        tracer.accept(new ExchangeOutcome("r", "embed", "local/sim-embed", false, 200, new Usage(3, 0, 0, 0, 0),
                Outcomes.log("local/sim-embed", "200", 1, 2), START_MS, Outcomes.ms(3), 0, 0, null, false, Operation.EMBEDDINGS, null));
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("embeddings embed", "embeddings sim-embed");
    }
}
