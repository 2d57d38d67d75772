package dev.switchyard.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.auth.KeyRing;
import dev.switchyard.config.Secret;
import dev.switchyard.model.ApiError;
import dev.switchyard.web.AdminGuard;
import dev.switchyard.web.FrontState;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Who may see the dashboard's data: a browser holding a session cookie (opened by signing in with the admin key),
 * or any client sending the admin key as a Bearer token, exactly as on {@code /admin}.
 *
 * <p>The cookie ({@value #COOKIE}) is {@code HttpOnly} (no script can read it), {@code SameSite=Strict} (no other
 * site can make the browser send it), {@code Path=/}, and {@code Secure} when the request came over TLS or through
 * a proxy that says so ({@code X-Forwarded-Proto: https}). It holds a random session id, never the key. Only
 * {@code /dashboard/api} reads it: the client API ({@code /v1}) and {@code /admin} ignore cookies altogether.
 *
 * <p>CSRF: on top of SameSite=Strict, the sign-in and sign-out POSTs are refused when the browser says they come
 * from another site ({@code Sec-Fetch-Site}) or when their {@code Origin} is not this server's own. Browsers send
 * {@code Origin} on every POST; a request without it is not a browser's cross-site form, so tools like curl work.
 */
final class DashboardAuth {
    static final String COOKIE = "switchyard_session";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_EXPIRES = "switchyard.dashboard.expires";

    private final Supplier<FrontState> state;
    private final Sessions sessions;
    private final AdminGuard bearer;
    /** The admin key's digest for the state it was computed from: recomputed only after a reload. */
    private volatile AdminDigest adminDigest;

    private record AdminDigest(Secret key, byte[] digest) {}

    DashboardAuth(Supplier<FrontState> state, Sessions sessions) {
        this.state = state;
        this.sessions = sessions;
        this.bearer = new AdminGuard(state);
    }

    /** Guards the data endpoints: a live session, or the admin key as a Bearer token; else 401 JSON. */
    void guard(RoutingContext ctx) {
        FrontState s = state.get();
        if (!s.keys().adminEnabled()) {
            bearer.handle(ctx); // 404: the admin surface is off
            return;
        }
        Sessions.Session session = sessions.find(cookie(ctx.request()), adminDigest(s));
        if (session != null) {
            ctx.put(SESSION_EXPIRES, session.expiresAtMillis());
            ctx.next();
            return;
        }
        HttpServerRequest req = ctx.request();
        if (req.getHeader(HttpHeaders.AUTHORIZATION) != null || req.getHeader("api-key") != null) {
            bearer.handle(ctx);
            return;
        }
        if (cookie(req) != null) clearCookie(ctx); // expired or ended elsewhere: stop sending it
        AdminGuard.fail(ctx, new ApiError(401, "invalid_request_error", "sign_in_required", null,
                "Sign in to the dashboard with the admin key, or send it as 'Authorization: Bearer <admin key>'."));
    }

    /** {@code GET /dashboard/api/session}, behind {@link #guard}: how the caller is signed in. */
    void status(RoutingContext ctx) {
        Long expires = ctx.get(SESSION_EXPIRES);
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeBooleanField("signed_in", true);
            g.writeStringField("via", expires == null ? "bearer" : "session");
            if (expires != null) g.writeStringField("expires_at", Instant.ofEpochMilli(expires).toString());
            g.writeEndObject();
        });
    }

    /** {@code POST /dashboard/api/sign-in} with {@code {"admin_key": "…"}} (or a form field of that name). */
    void signIn(RoutingContext ctx) {
        if (refusedCrossOrigin(ctx)) return;
        FrontState s = state.get();
        if (!s.keys().adminEnabled()) {
            AdminGuard.fail(ctx, new ApiError(404, "invalid_request_error", "admin_disabled", null,
                    "The dashboard is disabled: set auth.admin_key in the configuration to enable it."));
            return;
        }
        String key = presentedKey(ctx);
        if (key == null || !s.keys().isAdmin(key)) {
            AdminGuard.fail(ctx, new ApiError(401, "invalid_request_error", "invalid_admin_key", "admin_key",
                    "That is not the admin key (auth.admin_key)."));
            return;
        }
        Sessions.Issued issued = sessions.open(adminDigest(s));
        setCookie(ctx, issued.id(), sessions.ttl().toSeconds());
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeBooleanField("signed_in", true);
            g.writeStringField("expires_at", Instant.ofEpochMilli(issued.expiresAtMillis()).toString());
            g.writeEndObject();
        });
    }

    /** {@code POST /dashboard/api/sign-out}: ends the session server-side and clears the cookie. */
    void signOut(RoutingContext ctx) {
        if (refusedCrossOrigin(ctx)) return;
        sessions.close(cookie(ctx.request()));
        clearCookie(ctx);
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeBooleanField("signed_in", false);
            g.writeEndObject();
        });
    }

    private static String presentedKey(RoutingContext ctx) {
        String form = ctx.request().getFormAttribute("admin_key");
        if (form != null) return form;
        if (ctx.body() == null || ctx.body().length() == 0) return null;
        try {
            JsonNode n = JSON.readTree(ctx.body().buffer().getBytes());
            JsonNode k = n == null ? null : n.get("admin_key");
            return k != null && k.isTextual() ? k.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private boolean refusedCrossOrigin(RoutingContext ctx) {
        if (sameOrigin(ctx.request())) return false;
        AdminGuard.fail(ctx, new ApiError(403, "invalid_request_error", "cross_origin_refused", null,
                "Sign-in and sign-out are accepted only from the dashboard's own pages."));
        return true;
    }

    /** True unless the browser tells us the request comes from another origin. */
    static boolean sameOrigin(HttpServerRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return false;
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) return true;
        origin = origin.toLowerCase(Locale.ROOT);
        HostAndPort authority = req.authority();
        if (authority != null && matches(origin, authority.host() + (authority.port() >= 0 ? ":" + authority.port() : ""))) return true;
        String forwarded = req.getHeader("X-Forwarded-Host"); // behind a reverse proxy that rewrites Host
        return forwarded != null && matches(origin, forwarded.split(",")[0].trim());
    }

    private static boolean matches(String origin, String hostAndPort) {
        String h = hostAndPort.toLowerCase(Locale.ROOT);
        return origin.equals("http://" + h) || origin.equals("https://" + h);
    }

    private static String cookie(HttpServerRequest req) {
        Cookie c = req.getCookie(COOKIE);
        return c == null ? null : c.getValue();
    }

    private static void setCookie(RoutingContext ctx, String value, long maxAgeSeconds) {
        HttpServerRequest req = ctx.request();
        boolean tls = req.isSSL() || "https".equalsIgnoreCase(req.getHeader("X-Forwarded-Proto"));
        ctx.response().headers().add(HttpHeaders.SET_COOKIE, COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
    }

    private static void clearCookie(RoutingContext ctx) {
        setCookie(ctx, "", 0);
    }

    private byte[] adminDigest(FrontState s) {
        Secret key = s.config().auth().adminKey();
        AdminDigest d = adminDigest;
        if (d == null || d.key() != key) {
            d = new AdminDigest(key, KeyRing.digest(key.reveal().getBytes(StandardCharsets.UTF_8)));
            adminDigest = d;
        }
        return d.digest();
    }
}
