package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.ApiError;
import dev.switchyard.store.AuditLog;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin action that changes something: its work and its audit entry run on a worker thread (JDBC never runs on
 * an event loop), and the answer is written only once the entry is stored, so what an admin was told happened is in
 * the audit log. Success, refusal and failure are all audited; secrets never are.
 */
final class AdminAction {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAction.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Who acts: the admin credential's name. There is one admin credential, {@code auth.admin_key}. */
    static final String ACTOR = "auth.admin_key";

    /** What the action did. @param detail what changed, for the audit log (never a secret) */
    record Done(int status, OpenAiFront.JsonWriter body, String target, String detail) {}

    /** The action was refused: nothing changed. */
    static final class Refused extends Exception {
        final transient ApiError error;

        Refused(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    @FunctionalInterface
    interface Work {
        Done run() throws Refused, SQLException;
    }

    private AdminAction() {}

    /**
     * @param audit  where the entry goes; null when there is no store (nothing is audited then)
     * @param target what is acted on, as known before the work runs (the work's {@link Done#target} wins)
     */
    static void run(RoutingContext ctx, AuditLog audit, String action, String target, Work work) {
        SocketAddress addr = ctx.request().remoteAddress();
        String remote = addr == null ? null : addr.hostAddress();
        ctx.vertx().executeBlocking(() -> {
            Done done;
            ApiError error = null;
            String outcome;
            try {
                done = work.run();
                outcome = "ok";
            } catch (Refused r) {
                error = r.error;
                done = null;
                outcome = "rejected";
            } catch (SQLException e) {
                LOG.warn("admin action {} on {} failed: the store is unavailable ({})", action, target, e.toString());
                error = new ApiError(503, "api_error", "store_unavailable", null,
                        "The store is unavailable, so nothing was changed. Try again once the database answers.");
                done = null;
                outcome = "failed";
            } catch (RuntimeException e) {
                LOG.error("admin action {} on {} failed", action, target, e);
                error = new ApiError(500, "api_error", "internal_error", null, "The action failed inside the gateway; nothing was changed.");
                done = null;
                outcome = "failed";
            }
            if (audit != null) {
                AuditLog.Entry entry = new AuditLog.Entry(System.currentTimeMillis(), id(), ACTOR, remote, action,
                        done != null && done.target() != null ? done.target() : target, outcome,
                        done != null ? done.status() : error.status(), done != null ? done.detail() : error.message());
                try {
                    audit.append(entry);
                } catch (SQLException e) {
                    LOG.error("audit log: cannot record {} {} on {} ({}): {}", outcome, action, entry.target(), entry.status(), e.toString());
                }
            }
            return done != null ? done : error;
        }, true).onComplete(ar -> {
            if (ar.failed()) {
                Errors.send(ctx.response(), new ApiError(500, "api_error", "internal_error", null, "The action failed inside the gateway."));
            } else if (ar.result() instanceof ApiError e) {
                Errors.send(ctx.response(), e);
            } else {
                Done d = (Done) ar.result();
                ctx.response().setStatusCode(d.status());
                OpenAiFront.json(ctx.response(), d.body());
            }
        });
    }

    private static String id() {
        return "aud_" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /**
     * Reads a JSON body within {@code server.max_body_bytes} (413 beyond), then hands the parsed value on; invalid
     * JSON or a non-object gets a 400.
     */
    static void readJson(RoutingContext ctx, Supplier<FrontState> state, Consumer<JsonNode> then) {
        long max = state.get().config().server().maxBodyBytes();
        BodyReader.read(ctx.request(), max, bytes -> {
            JsonNode body;
            try {
                body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (IOException e) {
                // only where: the parser's message would quote the text it choked on, which may be a secret
                String at = !(e instanceof JsonProcessingException j) || j.getLocation() == null ? ""
                        : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
                Errors.send(ctx.response(), ApiError.invalidRequest(null, "The body is not valid JSON" + at + "."));
                return;
            }
            if (body == null || !body.isObject()) {
                Errors.send(ctx.response(), ApiError.invalidRequest(null, "The body must be a JSON object."));
                return;
            }
            then.accept(body);
        }, () -> Errors.send(ctx.response(), Errors.tooLarge(max)));
    }
}
