package dev.switchyard.web;

import dev.switchyard.model.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Guards admin routes with {@code auth.admin_key} (Bearer or {@code api-key} header). Client keys never pass:
 * the two are checked against different digests. Without an admin key the admin surface is off (404).
 */
public final class AdminGuard implements Handler<RoutingContext> {
    private final Supplier<FrontState> state;

    public AdminGuard(Supplier<FrontState> state) {
        this.state = state;
    }

    @Override
    public void handle(RoutingContext ctx) {
        FrontState s = state.get();
        if (!s.keys().adminEnabled()) {
            Errors.send(ctx.response(), new ApiError(404, "invalid_request_error", "admin_disabled", null,
                    "The admin API is disabled: set auth.admin_key in the configuration to enable it."));
            return;
        }
        if (!s.keys().isAdmin(OpenAiFront.presentedKey(ctx.request()))) {
            Errors.send(ctx.response(), new ApiError(401, "invalid_request_error", "invalid_admin_key", null,
                    "This endpoint needs the admin key (auth.admin_key) as 'Authorization: Bearer <admin key>'."));
            return;
        }
        ctx.next();
    }

    /** Sends an OpenAI-shaped error; for admin handlers outside this package. */
    public static void fail(RoutingContext ctx, ApiError error) {
        Errors.send(ctx.response(), error);
    }

    /** Sends JSON written with a streaming generator. */
    public static void json(RoutingContext ctx, OpenAiFront.JsonWriter writer) {
        OpenAiFront.json(ctx.response(), writer);
    }
}
