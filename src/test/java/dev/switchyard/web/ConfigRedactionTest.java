package dev.switchyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/config} hides every secret the configuration holds, wherever it sits. */
class ConfigRedactionTest {
    @Test
    void keysHeadersCredentialOptionsAndTheStorePasswordAreHidden() throws Exception {
        Map<String, String> env = Map.of("OPENAI_KEY", "sk-env-value-1", "ADMIN", "adm-value-2");
        GatewayConfig c = new ConfigLoader(ProviderRegistry.standard(), env::get).parse("""
                auth:
                  admin_key: env:ADMIN
                  keys: [{ name: app, key: cli-inline-3 }]
                providers:
                  openai:
                    type: openai
                    api_key: env:OPENAI_KEY
                    headers: { OpenAI-Organization: org-secret-4, X-Trace: yes }
                    options: { api_version: "2024-10-21", client_secret: opt-secret-5 }
                models:
                  chat: { targets: [openai/gpt-4o] }
                store: { url: "postgresql://ops:pg-pass-6@db.internal:5432/switchyard" }
                """, "test");
        JsonNode shown = ConfigApi.redacted(c);
        String text = shown.toString();
        for (String secret : new String[] {"sk-env-value-1", "adm-value-2", "cli-inline-3", "org-secret-4", "opt-secret-5", "pg-pass-6"}) {
            assertThat(text).doesNotContain(secret);
        }
        JsonNode p = shown.path("providers").path("openai");
        assertThat(p.path("api_key").asText()).isEqualTo("<redacted:env:OPENAI_KEY>");
        assertThat(p.path("headers").path("OpenAI-Organization").asText()).isEqualTo("<redacted>");
        assertThat(p.path("options").path("api_version").asText()).as("not a credential").isEqualTo("2024-10-21");
        assertThat(shown.path("store").path("url").asText()).isEqualTo("postgresql://ops@db.internal:5432/switchyard");
        assertThat(shown.path("auth").path("keys").get(0).path("name").asText()).isEqualTo("app");
    }
}
