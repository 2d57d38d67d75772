package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.accounting.CostCalculator;
import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.Usage;
import dev.switchyard.store.UsageQueries;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage API, behind the admin key: {@code GET /admin/usage} (aggregates by provider, model, key or route,
 * optionally per hour or day), {@code GET /admin/requests} (the recent request log, filtered) and
 * {@code GET /admin/requests/{id}} (one request with its attempts). Queries run on worker threads.
 */
public final class UsageApi implements RouteMount {
    private static final Logger LOG = LoggerFactory.getLogger(UsageApi.class);
    private static final long DAY = 86_400_000L;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;

    private final UsageQueries queries;
    private final String catalogVersion;

    public UsageApi(UsageQueries queries, String catalogVersion) {
        this.queries = queries;
        this.catalogVersion = catalogVersion;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        mount(router, "/admin", new AdminGuard(state));
    }

    /**
     * The same endpoints under another prefix and guard: the dashboard serves them, byte for byte the same, under
     * {@code /dashboard/api} behind its session check.
     */
    public void mount(Router router, String prefix, Handler<RoutingContext> guard) {
        router.get(prefix + "/usage").handler(guard).handler(this::usage);
        router.get(prefix + "/requests").handler(guard).handler(this::requests);
        router.get(prefix + "/requests/:id").handler(guard).handler(this::request);
    }

    private void usage(RoutingContext ctx) {
        UsageQueries.GroupBy groupBy;
        UsageQueries.Bucket bucket;
        long from, to;
        try {
            groupBy = choice(ctx, "group_by", UsageQueries.GroupBy.class, UsageQueries.GroupBy.NONE, "provider, model, target, key, route");
            bucket = choice(ctx, "bucket", UsageQueries.Bucket.class, UsageQueries.Bucket.NONE, "minute, hour, day");
            to = time(ctx, "to", System.currentTimeMillis());
            from = time(ctx, "from", to - DAY);
            if (from >= to) throw bad("from", "'from' must be before 'to'.");
        } catch (BadParam e) {
            AdminGuard.fail(ctx, e.error);
            return;
        }
        long f = from, t = to;
        blocking(ctx, () -> queries.usage(groupBy, bucket, f, t), rows -> AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "usage.report");
            g.writeStringField("from", Instant.ofEpochMilli(f).toString());
            g.writeStringField("to", Instant.ofEpochMilli(t).toString());
            g.writeStringField("group_by", groupBy == UsageQueries.GroupBy.NONE ? null : groupBy.name().toLowerCase(Locale.ROOT));
            g.writeStringField("bucket", bucket == UsageQueries.Bucket.NONE ? null : bucket.name().toLowerCase(Locale.ROOT));
            g.writeStringField("catalog_version", catalogVersion);
            g.writeArrayFieldStart("data");
            for (UsageQueries.UsageRow r : rows) writeRow(g, r);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void writeRow(JsonGenerator g, UsageQueries.UsageRow r) throws IOException {
        g.writeStartObject();
        g.writeStringField("group", r.group());
        if (r.bucketStart() != null) g.writeStringField("bucket_start", Instant.ofEpochMilli(r.bucketStart()).toString());
        g.writeNumberField("requests", r.requests());
        g.writeNumberField("errors", r.errors());
        g.writeNumberField("error_rate", r.requests() == 0 ? 0 : (double) r.errors() / r.requests());
        g.writeNumberField("stream_requests", r.streams());
        g.writeNumberField("failovers", r.failovers());
        writeTokens(g, r.tokens());
        g.writeFieldName("spend_usd");
        g.writeNumber(CostCalculator.fromNanos(r.costNanos()).toPlainString()); // 10, never 1E+1
        g.writeNumberField("unpriced", r.unpriced());
        g.writeObjectFieldStart("latency_ms");
        writePercentiles(g, r.latencyUs());
        if (r.requests() > 0) g.writeNumberField("avg", Math.round(r.avgLatencyUs()) / 1000.0);
        g.writeEndObject();
        if (r.avgTtftUs() != null) {
            g.writeNumberField("ttft_ms_avg", Math.round(r.avgTtftUs()) / 1000.0);
            g.writeObjectFieldStart("ttft_ms");
            writePercentiles(g, r.ttftUs());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writePercentiles(JsonGenerator g, long[] micros) throws IOException {
        String[] names = {"p50", "p90", "p95", "p99"};
        for (int i = 0; i < micros.length; i++) g.writeNumberField(names[i], micros[i] / 1000.0);
    }

    private void requests(RoutingContext ctx) {
        UsageQueries.RequestFilter filter;
        try {
            String status = param(ctx, "status");
            Integer exact = null;
            boolean errors = false;
            if (status != null) {
                if (status.equals("error")) errors = true;
                else exact = integer(status, "status", 100, 599);
            }
            String limit = param(ctx, "limit");
            int n = limit == null ? DEFAULT_LIMIT : integer(limit, "limit", 1, MAX_LIMIT);
            long to = time(ctx, "to", Long.MAX_VALUE);
            long from = time(ctx, "from", 0);
            filter = new UsageQueries.RequestFilter(param(ctx, "model"), param(ctx, "provider"), param(ctx, "key"), exact, errors,
                    from, to, n);
        } catch (BadParam e) {
            AdminGuard.fail(ctx, e.error);
            return;
        }
        blocking(ctx, () -> queries.recent(filter), rows -> AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (UsageQueries.Listed l : rows) {
                g.writeStartObject();
                writeRequest(g, l.request());
                g.writeNumberField("attempts", l.attempts());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void request(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> queries.request(id), (Optional<UsageRecord> found) -> {
            if (found.isEmpty()) {
                AdminGuard.fail(ctx, new ApiError(404, "invalid_request_error", "request_not_found", "id",
                        "No request with id '" + id + "' is in the ledger (it may be older than store.retention, or still queued)."));
                return;
            }
            UsageRecord r = found.get();
            AdminGuard.json(ctx, g -> {
                g.writeStartObject();
                writeRequest(g, r);
                g.writeArrayFieldStart("attempts");
                for (UsageRecord.AttemptRecord a : r.attempts()) {
                    g.writeStartObject();
                    g.writeNumberField("seq", a.seq());
                    g.writeStringField("provider", a.provider());
                    g.writeStringField("model", a.model());
                    g.writeStringField("outcome", a.outcome());
                    g.writeNumberField("latency_ms", a.latencyMillis());
                    if (a.ttftMillis() >= 0) g.writeNumberField("ttft_ms", a.ttftMillis());
                    if (a.tokens() != null) writeTokens(g, a.tokens());
                    writeCost(g, a.costUsd());
                    if (a.detail() != null) g.writeStringField("detail", a.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        });
    }

    private static void writeRequest(JsonGenerator g, UsageRecord r) throws IOException {
        g.writeStringField("id", r.id());
        g.writeStringField("created", Instant.ofEpochMilli(r.startEpochMillis()).toString());
        g.writeStringField("key", r.keyName());
        g.writeStringField("route", r.route());
        g.writeStringField("provider", r.provider());
        g.writeStringField("model", r.model());
        g.writeBooleanField("stream", r.stream());
        g.writeNumberField("status", r.status());
        g.writeStringField("error_type", r.errorType());
        g.writeBooleanField("truncated", r.truncated());
        writeTokens(g, r.tokens());
        writeCost(g, r.costUsd());
        g.writeStringField("catalog_version", r.catalogVersion());
        g.writeNumberField("latency_ms", r.latencyMicros() / 1000.0);
        if (r.ttftMicros() >= 0) g.writeNumberField("ttft_ms", r.ttftMicros() / 1000.0);
        g.writeNumberField("overhead_ms", r.overheadMicros() / 1000.0);
    }

    private static void writeCost(JsonGenerator g, BigDecimal usd) throws IOException {
        if (usd == null) g.writeNullField("cost_usd");
        else {
            g.writeFieldName("cost_usd");
            g.writeNumber(CostCalculator.format(usd));
        }
    }

    private static void writeTokens(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("tokens");
        g.writeNumberField("input", u.inputTokens());
        g.writeNumberField("cached", u.cachedTokens());
        g.writeNumberField("cache_write", u.cacheWriteTokens());
        g.writeNumberField("output", u.outputTokens());
        g.writeNumberField("reasoning", u.reasoningTokens());
        g.writeNumberField("total", u.totalTokens());
        g.writeEndObject();
    }

    /** JDBC on a worker thread; the answer is written back on the request's event loop. */
    private static <T> void blocking(RoutingContext ctx, Callable<T> query, java.util.function.Consumer<T> then) {
        ctx.vertx().executeBlocking(query, false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
                return;
            }
            Throwable e = ar.cause();
            LOG.warn("usage API query failed: {}", e.toString());
            String why = e instanceof SQLException ? "the usage ledger's database is unavailable" : "the query failed";
            AdminGuard.fail(ctx, new ApiError(503, "api_error", "ledger_unavailable", null,
                    "Cannot read usage right now: " + why + ". Requests are still recorded and will appear once it is back."));
        });
    }

    private static String param(RoutingContext ctx, String name) {
        List<String> all = ctx.queryParam(name);
        if (all.isEmpty()) return null;
        String v = all.get(all.size() - 1).trim();
        return v.isEmpty() ? null : v;
    }

    private static <E extends Enum<E>> E choice(RoutingContext ctx, String name, Class<E> type, E none, String allowed) throws BadParam {
        String v = param(ctx, name);
        if (v == null) return none;
        try {
            E e = Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
            if (e != none) return e;
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw bad(name, "'" + v + "' is not a valid " + name + ": use one of " + allowed + ".");
    }

    /** ISO-8601 instant ({@code 2026-07-24T10:00:00Z}), a date ({@code 2026-07-24}, UTC midnight) or epoch milliseconds. */
    private static long time(RoutingContext ctx, String name, long dflt) throws BadParam {
        String v = param(ctx, name);
        if (v == null) return dflt;
        try {
            if (v.chars().allMatch(Character::isDigit)) return Long.parseLong(v);
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw bad(name, "'" + v + "' is not a time: use an ISO-8601 instant (2026-07-24T10:00:00Z), a date (2026-07-24) "
                    + "or epoch milliseconds.");
        }
    }

    private static int integer(String v, String name, int min, int max) throws BadParam {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(name, "'" + v + "' is not a valid " + name + ": use a whole number from " + min + " to " + max
                + (name.equals("status") ? ", or 'error'." : "."));
    }

    private static BadParam bad(String param, String message) {
        return new BadParam(new ApiError(400, "invalid_request_error", "invalid_parameter", param, message));
    }

    /** A query parameter that cannot be used, as the OpenAI-style error the client gets. */
    private static final class BadParam extends Exception {
        final transient ApiError error;

        BadParam(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
