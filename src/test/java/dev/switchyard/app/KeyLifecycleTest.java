package dev.switchyard.app;

import static dev.switchyard.app.OperatorsHarness.ADMIN;
import static dev.switchyard.app.OperatorsHarness.CLIENT;
import static dev.switchyard.app.OperatorsHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.auth.KeySecrets;
import dev.switchyard.config.ConfigException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runtime keys through the admin API, end to end: create, use, list, get, update, expire, revoke, restart. */
class KeyLifecycleTest extends OperatorsTestBase {
    static final String ROUTES = """
            providers:
              sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
            models:
              chat: { targets: [sim/m1] }
              chat-large: { targets: [sim/m2] }
            """;


    private JsonNode create(String json) throws Exception {
        JsonNode k = h.adminOk("POST", "/admin/keys", json);
        h.secret(k.path("key").asText());
        return k;
    }

    @Test
    void aKeyIsCreatedWithItsSecretShownOnceAndStoredOnlyAsAHash() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        HttpResponse<String> r = h.admin("POST", "/admin/keys", """
                {"name":"team-a","models":["chat*"],"budget":{"usd_per_day":5,"usd_total":100},"limits":{"rpm":60},
                 "metadata":{"team":"a","user":"ann","tags":["prod","eu"]},"expires_in":"30d"}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode k = JSON.readTree(r.body());
        String id = k.path("id").asText();
        String secret = h.secret(k.path("key").asText());
        assertThat(id).matches("[0-9a-f]{8}");
        assertThat(secret).startsWith("sk-sy-" + id + "-").hasSizeGreaterThan(40);
        assertThat(k.path("prefix").asText()).isEqualTo("sk-sy-" + id);
        assertThat(k.path("status").asText()).isEqualTo("active");
        assertThat(k.path("budget").path("usd_per_day").decimalValue()).isEqualByComparingTo("5");
        assertThat(k.path("budget").path("usd_per_month").isNull()).isTrue();
        assertThat(k.path("limits").path("rpm").asInt()).isEqualTo(60);
        assertThat(k.path("metadata").path("tags").toString()).isEqualTo("[\"prod\",\"eu\"]");
        assertThat(Instant.parse(k.path("expires_at").asText())).isAfter(Instant.now().plusSeconds(29L * 86400));

        // never again: not in GET, not in the list, and the store holds only the SHA-256
        String got = h.admin("GET", "/admin/keys/" + id, null).body();
        String listed = h.admin("GET", "/admin/keys", null).body();
        assertThat(got).contains("\"name\":\"team-a\"").doesNotContain(secret).doesNotContain(KeySecrets.digestHex(secret));
        assertThat(listed).doesNotContain(secret).doesNotContain(KeySecrets.digestHex(secret));
        assertThat(h.admin("GET", "/admin/keys/team-a", null).body()).as("by name too").isEqualTo(got);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
                ResultSet rs = c.createStatement().executeQuery("SELECT * FROM virtual_keys")) {
            assertThat(rs.next()).isTrue();
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.append(rs.getString(i)).append('|');
            assertThat(row.toString()).doesNotContain(secret).contains(KeySecrets.digestHex(secret));
        }
        assertThat(Files.readString(h.configFile)).doesNotContain(secret);

        assertThat(h.chat(secret, "chat", null).statusCode()).isEqualTo(200);
        assertThat(h.chat(secret, "chat-large", null).statusCode()).as("chat* matches").isEqualTo(200);
    }

    @Test
    void staticKeysAreListedReadOnlyBesideRuntimeKeys() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String id = create("{\"name\":\"runtime-1\"}").path("id").asText();
        JsonNode list = h.adminOk("GET", "/admin/keys", null).path("data");
        assertThat(OperatorsHarness.field(list, "name")).containsExactly("static-app", "runtime-1");
        assertThat(OperatorsHarness.field(list, "source")).containsExactly("config", "runtime");
        assertThat(list.get(0).path("read_only").asBoolean()).isTrue();
        assertThat(list.get(0).path("metadata").path("team").asText()).isEqualTo("core");
        assertThat(list.toString()).doesNotContain(CLIENT);
        assertThat(h.adminOk("GET", "/admin/keys/static-app", null).path("source").asText()).isEqualTo("config");

        HttpResponse<String> patchStatic = h.admin("PATCH", "/admin/keys/static-app", "{\"limits\":{\"rpm\":1}}");
        assertThat(patchStatic.statusCode()).isEqualTo(409);
        assertThat(patchStatic.body()).contains("key_read_only").contains("auth.keys");
        assertThat(h.admin("POST", "/admin/keys/static-app/revoke", null).statusCode()).isEqualTo(409);
        assertThat(h.admin("POST", "/admin/keys", "{\"name\":\"static-app\"}").statusCode()).as("names are unique").isEqualTo(409);
        assertThat(h.admin("POST", "/admin/keys", "{\"name\":\"runtime-1\"}").statusCode()).isEqualTo(409);
        assertThat(h.admin("GET", "/admin/keys/nope", null).statusCode()).isEqualTo(404);
        assertThat(h.adminOk("GET", "/admin/keys?status=revoked", null).path("data")).isEmpty();
        assertThat(h.admin("GET", "/admin/keys/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void updatesApplyAtOnceAndRevocationStopsTheKeyForTheNextRequest() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        JsonNode k = create("{\"name\":\"team-b\",\"models\":[\"chat\"]}");
        String id = k.path("id").asText();
        String secret = k.path("key").asText();
        assertThat(h.chat(secret, "chat-large", null).statusCode()).as("not in its models").isEqualTo(403);

        JsonNode updated = h.adminOk("PATCH", "/admin/keys/" + id, "{\"models\":[\"*\"],\"limits\":{\"rpm\":100},\"metadata\":{\"user\":\"bo\"}}");
        assertThat(updated.path("models").toString()).isEqualTo("[\"*\"]");
        assertThat(updated.path("metadata").path("user").asText()).isEqualTo("bo");
        HttpResponse<String> now = h.chat(secret, "chat-large", null);
        assertThat(now.statusCode()).isEqualTo(200);
        assertThat(now.headers().firstValue("x-ratelimit-limit-requests")).contains("100");

        HttpResponse<String> rename = h.admin("PATCH", "/admin/keys/" + id, "{\"name\":\"other\"}");
        assertThat(rename.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(rename.body()).path("error").path("param").asText()).isEqualTo("name");

        JsonNode revoked = h.adminOk("POST", "/admin/keys/" + id + "/revoke", null);
        assertThat(revoked.path("status").asText()).isEqualTo("revoked");
        HttpResponse<String> after = h.chat(secret, "chat", null);
        assertThat(after.statusCode()).as("revocation is immediate").isEqualTo(401);
        assertThat(JSON.readTree(after.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(h.admin("PATCH", "/admin/keys/" + id, "{\"models\":[\"chat\"]}").statusCode()).isEqualTo(409);
        assertThat(h.admin("DELETE", "/admin/keys/" + id, null).statusCode()).as("revoking twice is harmless").isEqualTo(200);
        assertThat(OperatorsHarness.field(h.adminOk("GET", "/admin/keys?status=revoked", null).path("data"), "id")).containsExactly(id);
    }

    @Test
    void anExpiredKeyStopsWorking() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        JsonNode k = create("{\"name\":\"temp\",\"expires_in\":\"1h\"}");
        assertThat(h.chat(k.path("key").asText(), "chat", null).statusCode()).isEqualTo(200);
        JsonNode expired = h.adminOk("PATCH", "/admin/keys/temp", "{\"expires_at\":\"2020-01-01T00:00:00Z\"}");
        assertThat(expired.path("status").asText()).isEqualTo("expired");
        assertThat(h.chat(k.path("key").asText(), "chat", null).statusCode()).isEqualTo(401);
        JsonNode renewed = h.adminOk("PATCH", "/admin/keys/temp", "{\"expires_at\":null}");
        assertThat(renewed.path("status").asText()).isEqualTo("active");
        assertThat(h.chat(k.path("key").asText(), "chat", null).statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsNameTheField() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String[][] cases = {
                {"{\"budget\":{\"usd_per_day\":-1}}", "budget.usd_per_day"},
                {"{\"budget\":{\"per_day\":1}}", "budget.per_day"},
                {"{\"limits\":{\"rpm\":0}}", "limits.rpm"},
                {"{\"limits\":{\"tpm\":1.5}}", "limits.tpm"},
                {"{\"models\":[]}", "models"},
                {"{\"models\":\"chat\"}", "models"},
                {"{\"name\":\"has space\"}", "name"},
                {"{\"expires_at\":\"tomorrow\"}", "expires_at"},
                {"{\"expires_in\":\"soon\"}", "expires_in"},
                {"{\"colour\":\"red\"}", "colour"}};
        for (String[] c : cases) {
            HttpResponse<String> r = h.admin("POST", "/admin/keys", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(e.path("param").asText()).as(c[0]).isEqualTo(c[1]);
        }
        HttpResponse<String> notJson = h.admin("POST", "/admin/keys", "{\"name\": sk-not-json-secret}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).as("the parser's complaint would quote the text").doesNotContain("sk-not-json-secret");
        assertThat(h.adminOk("GET", "/admin/keys", null).path("data")).hasSize(1);
    }

    @Test
    void adminAndClientKeysAreNeverInterchangeable() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String virtual = create("{\"name\":\"v\"}").path("key").asText();
        for (String client : List.of(CLIENT, virtual)) {
            for (String path : List.of("/admin/keys", "/admin/config", "/admin/audit", "/admin/usage")) {
                HttpResponse<String> r = h.send("GET", path, null, client);
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.body()).contains("invalid_admin_key");
            }
            assertThat(h.send("POST", "/admin/keys", "{}", client).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> adminAsClient = h.chat(ADMIN, "chat", null);
        assertThat(adminAsClient.statusCode()).isEqualTo(401);
        assertThat(adminAsClient.body()).contains("invalid_api_key").doesNotContain(ADMIN);
        assertThat(h.send("GET", "/v1/models", null, ADMIN).statusCode()).isEqualTo(401);
    }

    @Test
    void adminBodiesAreLimitedBySizeToo() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES).replace("port: 0 }", "port: 0, max_body_bytes: 1KiB }"));
        String big = "{\"name\":\"big\",\"metadata\":{\"team\":\"" + "x".repeat(2000) + "\"}}";
        HttpResponse<String> r = h.admin("POST", "/admin/keys", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("request_too_large");
        assertThat(h.adminOk("GET", "/admin/keys", null).path("data")).hasSize(1);
    }

    @Test
    void keysSurviveARestartAndCountForTheNoKeysRule() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String keep = create("{\"name\":\"keeper\"}").path("key").asText();
        JsonNode gone = create("{\"name\":\"gone\"}");
        h.adminOk("POST", "/admin/keys/gone/revoke", null);
        // the file now has no static key: the runtime key is what lets the gateway start
        Files.writeString(h.configFile, OperatorsHarness.config(dir, ROUTES).replaceAll("(?s)  keys:\n.*?\n(store)", "$1"));
        h.restart();
        assertThat(h.chat(keep, "chat", null).statusCode()).isEqualTo(200);
        assertThat(h.chat(gone.path("key").asText(), "chat", null).statusCode()).isEqualTo(401);
        assertThat(h.chat(CLIENT, "chat", null).statusCode()).isEqualTo(401);
        assertThat(OperatorsHarness.field(h.adminOk("GET", "/admin/keys", null).path("data"), "name")).containsExactly("keeper", "gone");

        // with every runtime key revoked, the same file is refused at the next start
        h.adminOk("POST", "/admin/keys/keeper/revoke", null);
        h.stop();
        assertThatThrownBy(h::restart).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.keys: no client keys configured");
    }

    @Test
    void everyKeyActionIsAudited() throws Exception {
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        String since = Instant.now().minusSeconds(1).toString();
        String id = create("{\"name\":\"audited\"}").path("id").asText();
        h.adminOk("PATCH", "/admin/keys/" + id, "{\"limits\":{\"tpm\":1000}}");
        h.admin("PATCH", "/admin/keys/" + id, "{\"limits\":{\"tpm\":-1}}");
        h.adminOk("POST", "/admin/keys/" + id + "/revoke", null);
        h.admin("POST", "/admin/keys/static-app/revoke", null);
        h.send("POST", "/admin/keys", "{\"name\":\"intruder\"}", "wrong-admin-key");

        JsonNode all = h.adminOk("GET", "/admin/audit?since=" + since, null).path("data");
        assertThat(OperatorsHarness.field(all, "action")).containsExactly("key.revoke", "key.revoke", "key.update", "key.update", "key.create");
        assertThat(OperatorsHarness.field(all, "outcome")).containsExactly("rejected", "ok", "rejected", "ok", "ok");
        assertThat(OperatorsHarness.field(all, "target")).containsExactly("static-app", id, id, id, id);
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode e : all) {
            statuses.add(e.path("status").asInt());
            assertThat(e.path("actor").asText()).isEqualTo("auth.admin_key");
            assertThat(e.path("remote").asText()).isEqualTo("127.0.0.1");
            assertThat(Instant.parse(e.path("time").asText())).isAfter(Instant.parse(since));
        }
        assertThat(statuses).containsExactly(409, 200, 400, 200, 201);
        assertThat(all.get(4).path("detail").asText()).contains("created key 'audited'");
        assertThat(all.get(2).path("detail").asText()).contains("limits.tpm");

        assertThat(OperatorsHarness.field(h.adminOk("GET", "/admin/audit?action=key.update", null).path("data"), "outcome"))
                .containsExactly("rejected", "ok");
        assertThat(h.adminOk("GET", "/admin/audit?action=key.*&limit=2", null).path("data")).hasSize(2);
        assertThat(h.adminOk("GET", "/admin/audit?since=2999-01-01", null).path("data")).isEmpty();
        assertThat(h.admin("GET", "/admin/audit?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(h.admin("GET", "/admin/audit?since=yesterday", null).body()).contains("\"param\":\"since\"");
    }
}
