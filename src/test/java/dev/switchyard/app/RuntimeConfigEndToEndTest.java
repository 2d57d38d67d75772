package dev.switchyard.app;

import static dev.switchyard.app.OperatorsHarness.CLIENT;
import static dev.switchyard.app.OperatorsHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.RecordedRequest;
import dev.switchyard.testkit.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Providers, models and price overrides changed through the admin API: validated with the file by the loader's rules,
 * applied live, persisted, layered over the file across restarts and file reloads.
 */
class RuntimeConfigEndToEndTest extends OperatorsTestBase {
    private static final String ROUTES = """
            providers:
              sim: { type: simulated, simulate: { first_token: 1ms, tokens_per_second: 0, output_tokens: 3 } }
            models:
              chat: { targets: [sim/m1] }
            """;
    private static final String UPSTREAM_KEY = "sk-upstream-5ecret-0042";

    private MockUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) upstream.close();
    }

    private void start() throws Exception {
        upstream = MockUpstream.start();
        upstream.always(Reply.text("from the new provider"));
        h = OperatorsHarness.start(dir, OperatorsHarness.config(dir, ROUTES));
        h.secret(UPSTREAM_KEY);
    }

    private String providerJson() {
        return "{\"type\":\"openai\",\"base_url\":\"" + upstream.baseUrl() + "\",\"api_key\":\"" + UPSTREAM_KEY
                + "\",\"headers\":{\"OpenAI-Organization\":\"org-hidden-77\"}}";
    }

    @Test
    void aRuntimeAddedProviderServesTrafficAndSurvivesARestart() throws Exception {
        start();
        assertThat(h.chat(CLIENT, "fresh", null).statusCode()).isEqualTo(404);
        JsonNode added = h.adminOk("PUT", "/admin/config/providers/newco", providerJson());
        assertThat(added.path("applied").asBoolean()).isTrue();
        assertThat(added.path("summary").asText()).contains("providers 1→2");
        h.adminOk("PUT", "/admin/config/models/fresh", "{\"targets\":[\"newco/gpt-4o-mini\",\"sim/m1\"]}");

        HttpResponse<String> r = h.chat(CLIENT, "fresh", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchyard-provider")).contains("newco");
        assertThat(r.body()).contains("from the new provider");
        RecordedRequest seen = upstream.onlyRequest();
        assertThat(seen.header("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(seen.header("openai-organization")).isEqualTo("org-hidden-77");

        // the effective configuration shows it, secrets redacted; so does the runtime layer
        String effective = h.admin("GET", "/admin/config", null).body();
        assertThat(effective).contains("\"newco\"").contains("\"fresh\"").contains("<redacted:inline>")
                .doesNotContain(UPSTREAM_KEY).doesNotContain("org-hidden-77").doesNotContain(OperatorsHarness.ADMIN).doesNotContain(CLIENT);
        JsonNode layer = h.adminOk("GET", "/admin/config/runtime", null).path("data");
        assertThat(OperatorsHarness.field(layer, "name")).containsExactly("fresh", "newco");
        assertThat(layer.toString()).doesNotContain(UPSTREAM_KEY).doesNotContain("org-hidden-77");
        assertThat(layer.get(1).path("body").path("api_key").asText()).isEqualTo("<redacted:inline>");

        h.restart();
        upstream.reset();
        upstream.always(Reply.text("still here"));
        HttpResponse<String> again = h.chat(CLIENT, "fresh", null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("still here");
        assertThat(upstream.onlyRequest().header("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(Files.readString(h.configFile)).as("the file itself is untouched").doesNotContain("newco");
    }

    @Test
    void anInvalidChangeIsRefusedWithExactPathsAndChangesNothing() throws Exception {
        start();
        HttpResponse<String> badTarget = h.admin("PUT", "/admin/config/models/broken", "{\"targets\":[\"nowhere/x\"],\"strategy\":\"random\"}");
        assertThat(badTarget.statusCode()).isEqualTo(400);
        JsonNode e = JSON.readTree(badTarget.body()).path("error");
        assertThat(e.path("code").asText()).isEqualTo("invalid_config");
        assertThat(e.path("message").asText())
                .contains("models.broken.strategy: 'random' is not one of priority, weighted, least-latency, lowest-cost")
                .contains("models.broken.targets[0]: unknown provider 'nowhere' (declared: sim)");
        assertThat(e.path("param").asText()).isEqualTo("models.broken.strategy");

        HttpResponse<String> badProvider = h.admin("PUT", "/admin/config/providers/x", "{\"type\":\"openai\",\"api_key\":\"" + UPSTREAM_KEY
                + "\",\"base_url\":\"ftp://nope\",\"colour\":1}");
        assertThat(badProvider.statusCode()).isEqualTo(400);
        assertThat(badProvider.body()).contains("providers.x.colour: unknown key").contains("providers.x.base_url: 'ftp://nope' must be an http")
                .doesNotContain(UPSTREAM_KEY);

        // removing the file's provider would leave the file's model without it
        HttpResponse<String> orphan = h.admin("DELETE", "/admin/config/providers/sim", null);
        assertThat(orphan.statusCode()).isEqualTo(400);
        assertThat(orphan.body()).contains("models.chat.targets[0]: unknown provider 'sim'");
        assertThat(h.admin("DELETE", "/admin/config/models/ghost", null).statusCode()).isEqualTo(404);
        assertThat(h.admin("DELETE", "/admin/config/runtime/models/ghost", null).statusCode()).isEqualTo(404);
        assertThat(h.admin("PUT", "/admin/config/models/x", "[1]").statusCode()).isEqualTo(400);
        HttpResponse<String> env = h.admin("PUT", "/admin/config/providers/y", "{\"type\":\"openai\",\"api_key\":\"env:HOME\","
                + "\"base_url\":\"env:HOME\",\"headers\":{\"x\":\"env:PATH\"}}");
        assertThat(env.statusCode()).isEqualTo(400);
        assertThat(env.body()).contains("providers.y.base_url: env: references are allowed only for api_key")
                .contains("providers.y.headers.x: env:").doesNotContain("providers.y.api_key");

        assertThat(h.adminOk("GET", "/admin/config/runtime", null).path("data")).isEmpty();
        assertThat(h.chat(CLIENT, "chat", null).statusCode()).isEqualTo(200);
    }

    @Test
    void runtimeEntriesWinOverTheFileAndRemovalsHideItsEntriesUntilForgotten() throws Exception {
        start();
        // replace the file's model with a runtime one on another target
        h.adminOk("PUT", "/admin/config/models/chat", "{\"targets\":[\"sim/m9\"]}");
        assertThat(h.chat(CLIENT, "chat", null).headers().firstValue("x-switchyard-model")).contains("m9");
        // a file reload keeps the runtime layer on top
        Files.writeString(h.configFile, OperatorsHarness.config(dir, ROUTES + "  other: { targets: [sim/m2] }\n"));
        assertThat(h.adminOk("POST", "/admin/config/reload", null).path("applied").asBoolean()).isTrue();
        assertThat(h.chat(CLIENT, "chat", null).headers().firstValue("x-switchyard-model")).contains("m9");
        assertThat(h.chat(CLIENT, "other", null).statusCode()).isEqualTo(200);

        // remove the file's "other": hidden, also after a restart
        h.adminOk("DELETE", "/admin/config/models/other", null);
        assertThat(h.chat(CLIENT, "other", null).statusCode()).isEqualTo(404);
        h.restart();
        assertThat(h.chat(CLIENT, "other", null).statusCode()).isEqualTo(404);
        assertThat(h.chat(CLIENT, "chat", null).headers().firstValue("x-switchyard-model")).contains("m9");
        JsonNode layer = h.adminOk("GET", "/admin/config/runtime", null).path("data");
        assertThat(OperatorsHarness.field(layer, "removed")).containsExactly("false", "true");

        // forgetting the runtime entries brings the file's back
        h.adminOk("DELETE", "/admin/config/runtime/models/other", null);
        h.adminOk("DELETE", "/admin/config/runtime/models/chat", null);
        assertThat(h.chat(CLIENT, "other", null).statusCode()).isEqualTo(200);
        assertThat(h.chat(CLIENT, "chat", null).headers().firstValue("x-switchyard-model")).contains("m1");
        assertThat(h.adminOk("GET", "/admin/config/runtime", null).path("data")).isEmpty();
    }

    @Test
    void priceOverridesChangeWhatRequestsCost() throws Exception {
        start();
        HttpResponse<String> before = h.chat(CLIENT, "chat", null);
        assertThat(before.headers().firstValue("x-switchyard-cost-usd")).as("simulated models have no catalog price").isEmpty();
        h.adminOk("PUT", "/admin/config/pricing/sim/m1", "{\"input_per_mtok\":0,\"output_per_mtok\":1000000}");
        HttpResponse<String> after = h.chat(CLIENT, "chat", null);
        assertThat(after.headers().firstValue("x-switchyard-cost-usd")).as("3 output tokens at $1 each").contains("3");
        assertThat(h.admin("GET", "/admin/config", null).body()).contains("\"sim/m1\"");
        assertThat(h.admin("PUT", "/admin/config/pricing/nomodel", "{\"input_per_mtok\":1}").body())
                .contains("pricing.overrides.nomodel: price overrides are keyed by provider/upstream-model");
        h.adminOk("DELETE", "/admin/config/pricing/sim%2Fm1", null);
        assertThat(h.chat(CLIENT, "chat", null).headers().firstValue("x-switchyard-cost-usd")).isEmpty();
    }

    @Test
    void noRequestFailsWhileRuntimeChangesAndFileReloadsInterleaveUnderLoad() throws Exception {
        start();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 15; i++) inFlight.add(h.sendAsync("/v1/chat/completions", OperatorsHarness.chatBody("chat", null), CLIENT));
            if (round % 2 == 0) {
                h.adminOk("PUT", "/admin/config/providers/extra" + round, "{\"type\":\"simulated\"}");
                h.adminOk("PUT", "/admin/config/models/m" + round, "{\"targets\":[\"extra" + round + "/x\"]}");
            } else {
                Files.writeString(h.configFile, OperatorsHarness.config(dir, ROUTES.replace("first_token: 1ms", "first_token: " + round + "ms")));
                assertThat(h.adminOk("POST", "/admin/config/reload", null).path("applied").asBoolean()).isTrue();
            }
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight) assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (int round = 0; round < 8; round += 2) assertThat(h.chat(CLIENT, "m" + round, null).statusCode()).isEqualTo(200);
    }

    @Test
    void configChangesAreAudited() throws Exception {
        start();
        h.adminOk("PUT", "/admin/config/providers/newco", providerJson());
        h.admin("PUT", "/admin/config/models/bad", "{\"targets\":[\"nowhere/x\"]}");
        h.adminOk("POST", "/admin/config/reload", null);
        h.adminOk("DELETE", "/admin/config/runtime/providers/newco", null);
        JsonNode all = h.adminOk("GET", "/admin/audit?action=config.*", null).path("data");
        assertThat(OperatorsHarness.field(all, "action"))
                .containsExactly("config.runtime.forget", "config.reload", "config.model.put", "config.provider.put");
        assertThat(OperatorsHarness.field(all, "target")).containsExactly("providers/newco", "file", "models/bad", "providers/newco");
        assertThat(OperatorsHarness.field(all, "outcome")).containsExactly("ok", "ok", "rejected", "ok");
        assertThat(all.get(2).path("detail").asText()).contains("models.bad.targets[0]: unknown provider 'nowhere'");
        assertThat(all.toString()).doesNotContain(UPSTREAM_KEY).doesNotContain("org-hidden-77");
    }
}
