package dev.switchyard.app;

import static dev.switchyard.app.OperatorsHarness.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchyard.testkit.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** CORS is off unless configured (then preflights are answered); the log capture that guards secrets works. */
class CorsAndSecretsTest extends OperatorsTestBase {
    private static final String ROUTES = """
            providers:
              sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
            models:
              chat: { targets: [sim/m1] }
            """;


    @Test
    void corsIsOffUnlessConfigured() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        HttpResponse<String> r = h.send("POST", "/v1/chat/completions", OperatorsHarness.chatBody("chat", null), CLIENT,
                "origin", "https://app.example.com");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> preflight = h.send("OPTIONS", "/v1/chat/completions", null, null, "origin", "https://app.example.com",
                "access-control-request-method", "POST");
        assertThat(preflight.statusCode()).isEqualTo(405);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void configuredOriginsGetPreflightsAndReadableHeaders() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES)
                .replace("port: 0 }", "port: 0, cors: { allowed_origins: [\"https://app.example.com\"] } }"));
        HttpResponse<String> preflight = h.send("OPTIONS", "/v1/chat/completions", null, null, "origin", "https://app.example.com",
                "access-control-request-method", "POST", "access-control-request-headers", "authorization, content-type");
        assertThat(preflight.statusCode()).as("no key needed for a preflight").isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("authorization, content-type");
        assertThat(preflight.headers().firstValue("vary")).contains("Origin");

        HttpResponse<String> r = h.send("POST", "/v1/chat/completions", OperatorsHarness.chatBody("chat", null), CLIENT,
                "origin", "https://app.example.com");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        assertThat(r.headers().firstValue("access-control-expose-headers").orElse("")).contains("x-switchyard-request-id")
                .contains("x-ratelimit-remaining-requests");
        HttpResponse<String> unauthorized = h.send("POST", "/v1/chat/completions", "{}", "wrong", "origin", "https://app.example.com");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("access-control-allow-origin")).as("errors are readable too").isPresent();

        HttpResponse<String> other = h.send("OPTIONS", "/v1/chat/completions", null, null, "origin", "https://evil.example.net",
                "access-control-request-method", "POST");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> otherPost = h.send("POST", "/v1/chat/completions", OperatorsHarness.chatBody("chat", null), CLIENT,
                "origin", "https://evil.example.net");
        assertThat(otherPost.headers().firstValue("access-control-allow-origin")).isEmpty();

        // the list is read live: a reload changes it
        Files.writeString(h.configFile, OperatorsHarness.config(dir, ROUTES).replace("port: 0 }", "port: 0, cors: { allowed_origins: [\"*\"] } }"));
        h.adminOk("POST", "/admin/config/reload", null);
        HttpResponse<String> any = h.send("OPTIONS", "/v1/models", null, null, "origin", "https://evil.example.net",
                "access-control-request-method", "GET");
        assertThat(any.statusCode()).isEqualTo(204);
        assertThat(any.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void badOriginsAreConfigErrors() {
        assertThatThrownBy(() -> OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES)
                .replace("port: 0 }", "port: 0, cors: { allowed_origins: [\"app.example.com/\"] } }")))
                .hasMessageContaining("server.cors.allowed_origins: 'app.example.com/' is not an origin");
    }

    @Test
    void theLogCaptureSeesEveryLineAndCatchesASecret() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        assertThat(h.logLines()).as("the store's startup line at least").anyMatch(l -> l.contains("ledger:"));
        try (LogCapture capture = LogCapture.start()) {
            LoggerFactory.getLogger("dev.switchyard.test").debug("leaked {}", "sk-sy-deadbeef-0123456789");
            assertThatThrownBy(() -> capture.assertNoneContains(List.of("sk-sy-deadbeef-0123456789")))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("leaked <SECRET>");
            LoggerFactory.getLogger("dev.switchyard.test").warn("failed", new IllegalStateException("key sk-in-an-exception"));
            assertThatThrownBy(() -> capture.assertNoneContains(List.of("sk-in-an-exception"))).isInstanceOf(AssertionError.class);
        }
    }
}
