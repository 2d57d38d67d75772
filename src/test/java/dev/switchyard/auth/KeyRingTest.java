package dev.switchyard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ClientKeyConfig;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    private static ClientKeyConfig key(String name, String secret, String... models) {
        return new ClientKeyConfig(name, Secret.of(secret, "inline"), List.of(models.length == 0 ? new String[] {"*"} : models),
                null, null, null, null, null);
    }

    private static KeyRing ring(boolean anonymous, String admin, ClientKeyConfig... keys) {
        return new KeyRing(new GatewayConfig.Auth(admin == null ? null : Secret.of(admin, "inline"), List.of(keys), anonymous));
    }

    @Test
    void clientKeysAuthenticateByExactValue() {
        KeyRing r = ring(false, null, key("app", "sk-app-1"), key("batch", "sk-batch-2", "summarize"));
        assertThat(r.authenticate("sk-app-1").name()).isEqualTo("app");
        assertThat(r.authenticate("sk-batch-2").name()).isEqualTo("batch");
        assertThat(r.authenticate("sk-app-")).isNull();
        assertThat(r.authenticate("sk-app-1 ")).isNull();
        assertThat(r.authenticate("SK-APP-1")).isNull();
        assertThat(r.authenticate("")).isNull();
        assertThat(r.authenticate(null)).isNull();
    }

    @Test
    void anonymousOnlyWhenAllowedAndOnlyWithoutAKey() {
        KeyRing open = ring(true, null, key("app", "sk-app-1"));
        assertThat(open.authenticate(null).name()).isEqualTo("anonymous");
        assertThat(open.authenticate("").mayUse("anything")).isTrue();
        // a wrong key is refused even when anonymous access is on: a typo must not silently become anonymous
        assertThat(open.authenticate("sk-wrong")).isNull();
        assertThat(open.authenticate("sk-app-1").name()).isEqualTo("app");
        assertThat(ring(false, null).authenticate(null)).isNull();
    }

    @Test
    void adminAndClientKeysAreNeverInterchangeable() {
        KeyRing r = ring(false, "adm-1", key("app", "sk-app-1"));
        assertThat(r.adminEnabled()).isTrue();
        assertThat(r.isAdmin("adm-1")).isTrue();
        assertThat(r.isAdmin("sk-app-1")).isFalse();
        assertThat(r.authenticate("adm-1")).isNull();
        assertThat(r.isAdmin("")).isFalse();
        assertThat(r.isAdmin(null)).isFalse();
        KeyRing noAdmin = ring(false, null, key("app", "sk-app-1"));
        assertThat(noAdmin.adminEnabled()).isFalse();
        assertThat(noAdmin.isAdmin("adm-1")).isFalse();
    }

    @Test
    void modelGlobs() {
        ClientIdentity id = ClientIdentity.of("k", List.of("summarize", "gpt-4o*", "openai/*"));
        assertThat(id.mayUse("summarize")).isTrue();
        assertThat(id.mayUse("summarize2")).isFalse();
        assertThat(id.mayUse("gpt-4o")).isTrue();
        assertThat(id.mayUse("gpt-4o-mini")).isTrue();
        assertThat(id.mayUse("gpt-4")).isFalse();
        assertThat(id.mayUse("openai/gpt-4o")).isTrue();
        assertThat(id.mayUse("anthropic/claude")).isFalse();
        // glob characters only: regex metacharacters in names are literal
        ClientIdentity dots = ClientIdentity.of("k", List.of("a.b", "x+"));
        assertThat(dots.mayUse("a.b")).isTrue();
        assertThat(dots.mayUse("axb")).isFalse();
        assertThat(dots.mayUse("xx")).isFalse();
        assertThat(ClientIdentity.of("k", List.of()).mayUse("anything")).isFalse();
    }
}
