package dev.switchyard.web.dashboard;

import static dev.switchyard.web.dashboard.DashboardFixture.ADMIN_KEY;
import static dev.switchyard.web.dashboard.DashboardFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's door, over plain HTTP: who gets its data (a session cookie or the admin key), what the cookie
 * looks like and what it opens (only {@code /dashboard/api}), sign-out, the CSRF checks, and the page's headers.
 */
class DashboardAuthTest {
    private static final String CONFIG = """
            server: { host: 127.0.0.1, port: 0 }
            auth:
              admin_key: admin-secret
              keys:
                - { name: team-a, key: sk-team-a }
            providers:
              sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 4 } }
            models:
              chat: { targets: [sim/sim-model] }
            pricing:
              overrides:
                sim/sim-model: { input_per_mtok: 1, output_per_mtok: 2 }
            store: { url: "sqlite:%s" }
            """;
    private static final List<String> DATA = List.of("/dashboard/api/usage", "/dashboard/api/usage?group_by=provider&bucket=minute",
            "/dashboard/api/requests", "/dashboard/api/requests/r1", "/dashboard/api/targets", "/dashboard/api/meta",
            "/dashboard/api/session");

    @TempDir
    static Path dir;
    private static DashboardFixture gw;

    @BeforeAll
    static void start() throws Exception {
        gw = DashboardFixture.start(CONFIG, dir);
        assertThat(gw.chat("sk-team-a", "r1", "chat", false)).isEqualTo(200);
        gw.awaitRecorded(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
    }

    private static String signIn() throws Exception {
        HttpResponse<String> r = gw.post("/dashboard/api/sign-in", "{\"admin_key\":\"" + ADMIN_KEY + "\"}", "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static String cookie(String id) {
        return DashboardAuth.COOKIE + "=" + id;
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    @Test
    void dataIsRefusedWithoutASessionOrTheAdminKey() throws Exception {
        for (String path : DATA) {
            HttpResponse<String> anonymous = gw.get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("content-type")).as(path).hasValue("application/json");
            assertThat(code(anonymous)).as(path).isEqualTo("sign_in_required");
            HttpResponse<String> clientKey = gw.get(path, "Authorization", "Bearer sk-team-a");
            assertThat(clientKey.statusCode()).as(path).isEqualTo(401);
            assertThat(code(clientKey)).isEqualTo("invalid_admin_key");
            assertThat(gw.get(path, "Cookie", cookie("A".repeat(43))).statusCode()).as("a made-up session, " + path).isEqualTo(401);
            assertThat(gw.get(path, "Authorization", "Bearer " + ADMIN_KEY).statusCode()).as(path).isEqualTo(200);
        }
        JsonNode viaBearer = JSON.readTree(gw.get("/dashboard/api/session", "Authorization", "Bearer " + ADMIN_KEY).body());
        assertThat(viaBearer.path("via").asText()).isEqualTo("bearer");
    }

    @Test
    void signInExchangesTheAdminKeyForAStrictHttpOnlyCookie() throws Exception {
        for (String wrong : List.of("{\"admin_key\":\"nope\"}", "{\"admin_key\":\"sk-team-a\"}", "{}", "not json")) {
            HttpResponse<String> r = gw.post("/dashboard/api/sign-in", wrong, "Content-Type", "application/json");
            assertThat(r.statusCode()).as(wrong).isEqualTo(401);
            assertThat(code(r)).isEqualTo("invalid_admin_key");
            assertThat(r.headers().firstValue("set-cookie")).as(wrong).isEmpty();
        }
        HttpResponse<String> ok = gw.post("/dashboard/api/sign-in", "{\"admin_key\":\"" + ADMIN_KEY + "\"}", "Content-Type", "application/json");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("signed_in").asBoolean()).isTrue();
        String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).matches(DashboardAuth.COOKIE + "=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict")
                .doesNotContain(ADMIN_KEY);
        // a form post works too, and behind a TLS-terminating proxy the cookie is Secure
        HttpResponse<String> form = gw.post("/dashboard/api/sign-in", "admin_key=" + ADMIN_KEY, "Content-Type",
                "application/x-www-form-urlencoded", "X-Forwarded-Proto", "https");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("set-cookie").orElseThrow()).endsWith("; HttpOnly; SameSite=Strict; Secure");
        assertThat(signIn()).isNotEqualTo(signIn()); // a fresh random id every time
    }

    @Test
    void theSessionOpensTheDashboardsDataAndNothingElse() throws Exception {
        String session = cookie(signIn());
        JsonNode status = JSON.readTree(gw.get("/dashboard/api/session", "Cookie", session).body());
        assertThat(status.path("via").asText()).isEqualTo("session");
        assertThat(status.path("expires_at").asText()).isNotEmpty();
        // the dashboard serves the usage API itself: byte for byte what /admin answers
        String q = "?group_by=provider&from=2020-01-01&to=2100-01-01";
        HttpResponse<String> viaCookie = gw.get("/dashboard/api/usage" + q, "Cookie", session);
        assertThat(viaCookie.statusCode()).isEqualTo(200);
        assertThat(viaCookie.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(viaCookie.body()).isEqualTo(gw.get("/admin/usage" + q, "Authorization", "Bearer " + ADMIN_KEY).body())
                .contains("\"group\":\"sim\"");
        assertThat(JSON.readTree(gw.get("/dashboard/api/requests/r1", "Cookie", session).body()).path("attempts")).hasSize(1);
        // ... but the cookie is no key: not for the client API, not for the admin API
        assertThat(gw.get("/v1/models", "Cookie", session).statusCode()).isEqualTo(401);
        assertThat(gw.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Cookie", session, "Content-Type", "application/json").statusCode()).isEqualTo(401);
        assertThat(gw.get("/admin/usage", "Cookie", session).statusCode()).isEqualTo(401);
        assertThat(gw.get("/admin/targets", "Cookie", session).statusCode()).isEqualTo(401);
    }

    @Test
    void signOutEndsTheSessionOnTheServer() throws Exception {
        String id = signIn();
        assertThat(gw.get("/dashboard/api/usage", "Cookie", cookie(id)).statusCode()).isEqualTo(200);
        HttpResponse<String> out = gw.post("/dashboard/api/sign-out", "", "Cookie", cookie(id));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).startsWith(DashboardAuth.COOKIE + "=; Path=/; Max-Age=0;");
        // replaying the old cookie does not work: the session is gone server-side, not just forgotten by the browser
        HttpResponse<String> replay = gw.get("/dashboard/api/usage", "Cookie", cookie(id));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0"); // told to drop it
        assertThat(gw.post("/dashboard/api/sign-out", "", "Cookie", cookie(id)).statusCode()).isEqualTo(200); // twice is harmless
    }

    @Test
    void crossSiteSignInAndSignOutAreRefused() throws Exception {
        String body = "{\"admin_key\":\"" + ADMIN_KEY + "\"}";
        HttpResponse<String> evil = gw.post("/dashboard/api/sign-in", body, "Content-Type", "application/json", "Origin", "http://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(code(evil)).isEqualTo("cross_origin_refused");
        assertThat(evil.headers().firstValue("set-cookie")).isEmpty();
        assertThat(gw.post("/dashboard/api/sign-in", body, "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site")
                .statusCode()).isEqualTo(403);
        assertThat(gw.post("/dashboard/api/sign-in", body, "Content-Type", "application/json", "Origin", "null").statusCode()).isEqualTo(403);
        HttpResponse<String> own = gw.post("/dashboard/api/sign-in", body, "Content-Type", "application/json",
                "Origin", gw.base(), "Sec-Fetch-Site", "same-origin");
        assertThat(own.statusCode()).isEqualTo(200);
        String id = signIn();
        assertThat(gw.post("/dashboard/api/sign-out", "", "Cookie", cookie(id), "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(gw.get("/dashboard/api/usage", "Cookie", cookie(id)).statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void aHugeSignInBodyIsRefused() throws Exception {
        HttpResponse<String> r = gw.post("/dashboard/api/sign-in", "{\"admin_key\":\"" + "x".repeat(10_000) + "\"}",
                "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJarUnderAStrictPolicy() throws Exception {
        HttpResponse<String> bare = gw.get("/dashboard");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("location")).hasValue("/dashboard/");
        HttpResponse<String> page = gw.get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>").doesNotContain(ADMIN_KEY);

        HttpResponse<String> uplot = gw.get("/dashboard/vendor/uplot/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(uplot.body()).contains("export { uPlot as default }");
        String etag = uplot.headers().firstValue("etag").orElseThrow();
        assertThat(gw.get("/dashboard/vendor/uplot/uPlot.esm.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(gw.get("/dashboard/js/main.js").headers().firstValue("cache-control")).hasValue("no-cache");

        assertThat(gw.get("/dashboard/nope.js").statusCode()).isEqualTo(404);
        assertThat(gw.get("/dashboard/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(gw.get("/dashboard/api/nope", "Authorization", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void breakerStatesAndFilterNamesAreServedWithoutSecrets() throws Exception {
        String session = cookie(signIn());
        JsonNode targets = JSON.readTree(gw.get("/dashboard/api/targets", "Cookie", session).body());
        assertThat(targets.path("targets")).hasSize(1);
        assertThat(targets.path("targets").get(0).path("target").asText()).isEqualTo("sim/sim-model");
        assertThat(targets.path("targets").get(0).path("breaker").asText()).isEqualTo("closed");
        HttpResponse<String> meta = gw.get("/dashboard/api/meta", "Cookie", session);
        JsonNode m = JSON.readTree(meta.body());
        assertThat(m.path("providers").get(0).path("name").asText()).isEqualTo("sim");
        assertThat(m.path("models").get(0).asText()).isEqualTo("chat");
        assertThat(m.path("keys").get(0).asText()).isEqualTo("team-a");
        assertThat(m.path("now").asLong()).isPositive();
        assertThat(meta.body()).doesNotContain("sk-team-a").doesNotContain(ADMIN_KEY);
    }

    @Test
    void withoutAnAdminKeyTheDashboardIsOff(@TempDir Path other) throws Exception {
        try (DashboardFixture off = DashboardFixture.start(CONFIG.replace("  admin_key: admin-secret\n", ""), other)) {
            HttpResponse<String> signIn = off.post("/dashboard/api/sign-in", "{\"admin_key\":\"admin-secret\"}", "Content-Type", "application/json");
            assertThat(signIn.statusCode()).isEqualTo(404);
            assertThat(code(signIn)).isEqualTo("admin_disabled");
            assertThat(off.get("/dashboard/api/usage").statusCode()).isEqualTo(404);
            assertThat(off.get("/dashboard/api/session").statusCode()).isEqualTo(404);
            assertThat(off.get("/dashboard/").statusCode()).as("the page still loads, to say so").isEqualTo(200);
        }
    }
}
