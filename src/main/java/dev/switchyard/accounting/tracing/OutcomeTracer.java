package dev.switchyard.accounting.tracing;

import dev.switchyard.accounting.Attempts;
import dev.switchyard.accounting.LabelDirectory;
import dev.switchyard.accounting.LabelDirectory.TargetLabels;
import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns each finished request into a trace after the fact: a SERVER span for the request and a CLIENT
 * span per upstream attempt, with explicit start and end times from the outcome and its attempt log. Nothing
 * is threaded through the hot path; the client's {@code traceparent}, if any, becomes the request span's
 * parent. Attribute names follow the OpenTelemetry GenAI semantic conventions.
 */
public final class OutcomeTracer implements Consumer<ExchangeOutcome> {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_WRITE_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("switchyard.usage.reasoning_tokens");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("switchyard.request_id");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("switchyard.provider");
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("switchyard.target");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("switchyard.stream");
    static final AttributeKey<Boolean> TRUNCATED = AttributeKey.booleanKey("switchyard.truncated");
    static final AttributeKey<Long> ATTEMPT_COUNT = AttributeKey.longKey("switchyard.attempts");
    static final AttributeKey<Long> ATTEMPT_NUMBER = AttributeKey.longKey("switchyard.attempt");
    static final AttributeKey<String> FAILURE_DETAIL = AttributeKey.stringKey("switchyard.failure_detail");
    static final AttributeKey<Double> OVERHEAD_MS = AttributeKey.doubleKey("switchyard.overhead_ms");
    static final String FIRST_TOKEN_EVENT = "gen_ai.first_token";

    private static final int MAX_DETAIL = 256;
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;
    private final LabelDirectory labels;

    public OutcomeTracer(Tracer tracer, LabelDirectory labels) {
        this.tracer = tracer;
        this.labels = labels;
    }

    @Override
    public void accept(ExchangeOutcome o) {
        long start = TimeUnit.MILLISECONDS.toNanos(o.startEpochMillis());
        long end = start + o.totalNanos();
        Context parent = o.traceParent() == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), o.traceParent(), TRACEPARENT);
        String op = o.operation() == null ? "chat" : o.operation().name().toLowerCase(Locale.ROOT);
        TargetLabels target = o.target() == null ? null : labels.target(o.target());
        String responseModel = upstreamModel(o.target());

        SpanBuilder b = tracer.spanBuilder(op + " " + o.publicModel()).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION, op)
                .setAttribute(REQUEST_MODEL, o.publicModel())
                .setAttribute(REQUEST_ID, o.requestId())
                .setAttribute(STREAM, o.stream())
                .setAttribute(HTTP_STATUS, (long) o.status())
                .setAttribute(OVERHEAD_MS, o.overheadNanos() / 1e6);
        if (target != null) {
            b.setAttribute(SYSTEM, target.provider().type()).setAttribute(PROVIDER, target.provider().name())
                    .setAttribute(TARGET, o.target());
        }
        if (responseModel != null && o.status() < 300) b.setAttribute(RESPONSE_MODEL, responseModel);
        if (o.attempts() != null) b.setAttribute(ATTEMPT_COUNT, (long) countAttempts(o.attempts().attempts()));
        if (o.truncated()) b.setAttribute(TRUNCATED, true);
        setUsage(b, o.usage());
        Span request = b.startSpan();
        if (o.ttftNanos() > 0) request.addEvent(FIRST_TOKEN_EVENT, start + o.ttftNanos(), TimeUnit.NANOSECONDS);
        boolean failed = o.status() >= 500 || (o.truncated() && o.status() == 200);
        if (o.errorType() != null) request.setAttribute(ERROR_TYPE, o.errorType());
        if (failed) request.setStatus(StatusCode.ERROR, o.errorType() == null ? "status " + o.status() : o.errorType());
        if (o.attempts() != null) attempts(o, Context.root().with(request), op, start, end);
        request.end(end, TimeUnit.NANOSECONDS);
    }

    /** One CLIENT span per physical attempt (a committed stream that broke is logged twice: one span). */
    private void attempts(ExchangeOutcome o, Context parent, String op, long requestStart, long requestEnd) {
        List<AttemptLog.Attempt> all = o.attempts().attempts();
        int n = all.size();
        int number = 0;
        for (int i = 0; i < n; i++) {
            AttemptLog.Attempt first = all.get(i);
            AttemptLog.Attempt last = first;
            while (i + 1 < n && Attempts.same(first, all.get(i + 1))) last = all.get(++i);
            number++;
            boolean answered = i == n - 1 && o.status() < 300 && Attempts.succeeded(first.outcome());
            long start = requestStart + first.startOffsetNanos();
            long end = start + last.nanos();
            // A stream is logged at its first token; an unbroken one lasts until the request ends.
            if (o.stream() && Attempts.succeeded(last.outcome())) end = requestEnd;
            TargetLabels t = labels.target(first.target());
            String model = upstreamModel(first.target());
            SpanBuilder b = tracer.spanBuilder(op + " " + model).setParent(parent).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                    .setAttribute(OPERATION, op)
                    .setAttribute(SYSTEM, t.provider().type())
                    .setAttribute(PROVIDER, t.provider().name())
                    .setAttribute(TARGET, first.target())
                    .setAttribute(REQUEST_MODEL, model)
                    .setAttribute(ATTEMPT_NUMBER, (long) number);
            if (t.provider().host() != null) {
                b.setAttribute(SERVER_ADDRESS, t.provider().host()).setAttribute(SERVER_PORT, (long) t.provider().port());
            }
            Long status = status(first.outcome());
            if (status != null) b.setAttribute(HTTP_STATUS, status);
            if (answered) {
                b.setAttribute(RESPONSE_MODEL, model);
                setUsage(b, o.usage());
            }
            Span span = b.startSpan();
            if (o.stream() && Attempts.succeeded(first.outcome())) {
                span.addEvent(FIRST_TOKEN_EVENT, start + first.nanos(), TimeUnit.NANOSECONDS);
            }
            if (!Attempts.succeeded(last.outcome())) {
                span.setAttribute(ERROR_TYPE, last.outcome());
                if (last.detail() != null) span.setAttribute(FAILURE_DETAIL, clip(last.detail()));
                span.setStatus(StatusCode.ERROR, last.outcome());
            }
            span.end(Math.max(start, end), TimeUnit.NANOSECONDS);
        }
    }

    private static int countAttempts(List<AttemptLog.Attempt> all) {
        int c = 0;
        for (int i = 0; i < all.size(); i++) if (i == 0 || !Attempts.same(all.get(i - 1), all.get(i))) c++;
        return c;
    }

    private static void setUsage(SpanBuilder b, Usage u) {
        if (u == null) return;
        b.setAttribute(INPUT_TOKENS, u.inputTokens()).setAttribute(OUTPUT_TOKENS, u.outputTokens());
        if (u.cachedTokens() > 0) b.setAttribute(CACHE_READ_TOKENS, u.cachedTokens());
        if (u.cacheWriteTokens() > 0) b.setAttribute(CACHE_WRITE_TOKENS, u.cacheWriteTokens());
        if (u.reasoningTokens() > 0) b.setAttribute(REASONING_TOKENS, u.reasoningTokens());
    }

    private static String upstreamModel(String targetId) {
        if (targetId == null) return null;
        int slash = targetId.indexOf('/');
        return slash >= 0 ? targetId.substring(slash + 1) : targetId;
    }

    private static Long status(String outcome) {
        if (outcome.length() != 3) return null;
        for (int i = 0; i < 3; i++) if (!Character.isDigit(outcome.charAt(i))) return null;
        return Long.valueOf(outcome);
    }

    private static String clip(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
