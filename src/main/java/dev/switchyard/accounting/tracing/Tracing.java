package dev.switchyard.accounting.tracing;

import dev.switchyard.accounting.LabelDirectory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/**
 * The tracing pipeline when {@code observability.otlp_endpoint} is set: an SDK tracer provider with a batch
 * processor (its own thread) exporting OTLP/HTTP protobuf. Nothing of the SDK is built otherwise: without an
 * endpoint the gateway has no tracer at all, so tracing costs nothing.
 */
public final class Tracing implements AutoCloseable {
    static final String TRACES_PATH = "/v1/traces";

    private final SdkTracerProvider provider;
    private final OutcomeTracer tracer;

    private Tracing(SdkTracerProvider provider, LabelDirectory labels) {
        this.provider = provider;
        this.tracer = new OutcomeTracer(provider.get("dev.switchyard"), labels);
    }

    /**
     * @param endpoint the collector's base URL ({@code http://host:4318}); {@value #TRACES_PATH} is appended
     *                 unless it is already there
     */
    public static Tracing otlp(String endpoint, String serviceVersion, LabelDirectory labels) {
        String url = endpoint.endsWith(TRACES_PATH) ? endpoint : endpoint + TRACES_PATH;
        return withExporter(OtlpHttpSpanExporter.builder().setEndpoint(url).build(), serviceVersion, labels);
    }

    /** The same pipeline over any exporter. */
    public static Tracing withExporter(SpanExporter exporter, String serviceVersion, LabelDirectory labels) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "switchyard",
                AttributeKey.stringKey("service.version"), serviceVersion == null ? "dev" : serviceVersion)));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
        return new Tracing(provider, labels);
    }

    public OutcomeTracer tracer() {
        return tracer;
    }

    /** Exports what is queued now; for tests and shutdown. */
    public CompletableResultCode flush() {
        return provider.forceFlush();
    }

    /** Flushes and stops the export thread (waits up to 5 s). */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
