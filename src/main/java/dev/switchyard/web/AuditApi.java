package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import dev.switchyard.store.AuditLog;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/audit?since=&action=&limit=}: admin actions, newest first. {@code since} is an ISO-8601 instant, a
 * date or epoch milliseconds (default: everything); {@code action} an exact action or a prefix ending in {@code *}
 * ({@code key.*}); {@code limit} 1–1000 (default 100).
 */
public final class AuditApi implements RouteMount {
    private static final Logger LOG = LoggerFactory.getLogger(AuditApi.class);

    private final AuditLog audit;

    public AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        router.get("/admin/audit").handler(new AdminGuard(state)).handler(this::query);
    }

    private void query(RoutingContext ctx) {
        long since;
        int limit;
        String action = ctx.queryParams().get("action");
        try {
            since = since(ctx.queryParams().get("since"));
            limit = limit(ctx.queryParams().get("limit"));
        } catch (IllegalArgumentException e) {
            AdminGuard.fail(ctx, new ApiError(400, "invalid_request_error", "invalid_parameter", e.getMessage().split(":")[0],
                    e.getMessage().substring(e.getMessage().indexOf(':') + 2)));
            return;
        }
        if (action != null && (action.isBlank() || action.length() > 100)) action = null;
        String a = action;
        ctx.vertx().executeBlocking(() -> audit.query(since, a, limit), false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("audit query failed: {}", ar.cause().toString());
                AdminGuard.fail(ctx, new ApiError(503, "api_error", "store_unavailable", null,
                        "Cannot read the audit log right now: the store is unavailable."));
                return;
            }
            List<AuditLog.Entry> rows = ar.result();
            AdminGuard.json(ctx, g -> {
                g.writeStartObject();
                g.writeStringField("object", "list");
                g.writeArrayFieldStart("data");
                for (AuditLog.Entry e : rows) {
                    g.writeStartObject();
                    g.writeStringField("id", e.id());
                    g.writeStringField("time", Instant.ofEpochMilli(e.ts()).toString());
                    g.writeStringField("actor", e.actor());
                    g.writeStringField("remote", e.remote());
                    g.writeStringField("action", e.action());
                    g.writeStringField("target", e.target());
                    g.writeStringField("outcome", e.outcome());
                    g.writeNumberField("status", e.status());
                    g.writeStringField("detail", e.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        });
    }

    private static long since(String v) {
        if (v == null || v.isBlank()) return 0;
        try {
            if (v.chars().allMatch(Character::isDigit)) return Long.parseLong(v);
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("since: '" + v + "' is not a time: use an ISO-8601 instant (2026-07-24T10:00:00Z), "
                    + "a date (2026-07-24) or epoch milliseconds.");
        }
    }

    private static int limit(String v) {
        if (v == null || v.isBlank()) return 100;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("limit: '" + v + "' is not a valid limit: use a whole number from 1 to 1000.");
    }
}
