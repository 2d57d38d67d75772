package dev.switchyard.web.dashboard;

import dev.switchyard.config.ClientKeyConfig;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.resilience.HealthRegistry;
import dev.switchyard.web.AdminGuard;
import dev.switchyard.web.FrontState;
import dev.switchyard.web.RouteMount;
import dev.switchyard.web.TargetsApi;
import dev.switchyard.web.UsageApi;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The operator's dashboard at {@code /dashboard}: a page (HTML, CSS, JavaScript modules, uPlot from its WebJar)
 * that reads the usage API. Routes:
 * <ul>
 *   <li>{@code GET /dashboard/…}: the page and its files;</li>
 *   <li>{@code POST /dashboard/api/sign-in}, {@code POST /dashboard/api/sign-out}, {@code GET /dashboard/api/session};</li>
 *   <li>behind a session or the admin key: {@code /dashboard/api/usage}, {@code /requests}, {@code /requests/{id}} (the usage
 *       API itself, see docs/observability.md), {@code /targets} (breaker states, as {@code /admin/targets}) and
 *       {@code /meta} (provider, model and key names for the filters, and the server's clock).</li>
 * </ul>
 */
public final class Dashboard implements RouteMount {
    /** A sign-in lasts a working day; the page then asks for the key again. */
    public static final Duration SESSION_TTL = Duration.ofHours(8);
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final UsageApi usage;
    private final Supplier<HealthRegistry> health;
    private final Sessions sessions;
    private final DashboardAssets assets = DashboardAssets.load();

    /**
     * @param health the running gateway's breaker states; may answer null while the gateway is still starting
     */
    public Dashboard(UsageApi usage, Supplier<HealthRegistry> health) {
        this(usage, health, new Sessions(SESSION_TTL, System::currentTimeMillis));
    }

    public Dashboard(UsageApi usage, Supplier<HealthRegistry> health, Sessions sessions) {
        this.usage = usage;
        this.health = health;
        this.sessions = sessions;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        DashboardAuth auth = new DashboardAuth(state, sessions);
        Handler<RoutingContext> guard = auth::guard;
        router.routeWithRegex("/dashboard(/.*)?").handler(Dashboard::headers);
        // a regex: the plain path "/dashboard" would also match "/dashboard/" and redirect it to itself
        router.getWithRegex("/dashboard").handler(ctx -> ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/dashboard/").end());
        router.post("/dashboard/api/sign-in").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(auth::signIn);
        router.post("/dashboard/api/sign-out").handler(auth::signOut);
        router.get("/dashboard/api/session").handler(guard).handler(auth::status);
        usage.mount(router, "/dashboard/api", guard);
        router.get("/dashboard/api/targets").handler(guard).handler(ctx -> {
            HealthRegistry h = health.get();
            if (h == null) AdminGuard.json(ctx, g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("targets");
                g.writeEndArray();
                g.writeEndObject();
            });
            else AdminGuard.json(ctx, g -> TargetsApi.write(g, h, state.get()));
        });
        router.get("/dashboard/api/meta").handler(guard).handler(ctx -> meta(ctx, state.get().config()));
        router.getWithRegex("/dashboard/(?!api/)(.*)").handler(ctx -> {
            if (!assets.serve(ctx, ctx.pathParam("param0"))) ctx.next();
        });
    }

    /** Locks the page down: only its own scripts and styles, no framing, nothing leaks through the Referer. */
    private static void headers(RoutingContext ctx) {
        var h = ctx.response().headers();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        if (ctx.request().path().startsWith("/dashboard/api/")) h.set(HttpHeaders.CACHE_CONTROL, "no-store");
        ctx.next();
    }

    /** Names for the filters (never a secret) and the server's clock, which the page's time ranges follow. */
    private static void meta(RoutingContext ctx, GatewayConfig config) {
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeNumberField("now", System.currentTimeMillis());
            g.writeArrayFieldStart("providers");
            for (ProviderConfig p : config.providers().values()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("type", p.type());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("models");
            for (String m : config.models().keySet()) g.writeString(m);
            g.writeEndArray();
            g.writeArrayFieldStart("keys");
            for (ClientKeyConfig k : config.auth().keys()) g.writeString(k.name());
            if (config.auth().allowAnonymous()) g.writeString("anonymous");
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
