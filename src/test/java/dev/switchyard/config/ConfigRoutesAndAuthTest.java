package dev.switchyard.config;

import static dev.switchyard.config.ConfigLoaderTest.VALID;
import static dev.switchyard.config.ConfigLoaderTest.load;
import static dev.switchyard.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConfigLoader} error paths, continued: models, auth, {@code env:NAME}, the small sections, many problems at once. */
class ConfigRoutesAndAuthTest {
    // ---- models ----

    @Test
    void badStrategy() {
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    strategy: fastest")))
                .containsExactly("models.chat.strategy: 'fastest' is not one of priority, weighted, least-latency, lowest-cost");
    }

    @Test
    void strategiesAreRead() throws Exception {
        for (ModelRoute.Strategy s : ModelRoute.Strategy.values()) {
            String name = s.name().toLowerCase().replace('_', '-');
            GatewayConfig c = load(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    strategy: " + name), Map.of());
            assertThat(c.models().get("chat").strategy()).isEqualTo(s);
        }
    }

    @Test
    void badHedge() {
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    hedge: {after: p42}"))).containsExactly(
                "models.chat.hedge.after: 'p42' is neither a duration (300ms) nor a percentile (p50, p75, p90, p95, p99)");
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    hedge: {}")))
                .containsExactly("models.chat.hedge.after: is required");
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    hedge: p95")))
                .containsExactly("models.chat.hedge: must be a mapping (key: value), got a string");
    }

    @Test
    void goodHedges() throws Exception {
        for (String h : List.of("p50", "p75", "p90", "p95", "p99", "300ms", "1s")) {
            GatewayConfig c = load(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    hedge: {after: " + h + "}"), Map.of());
            assertThat(c.models().get("chat").hedge()).isEqualTo(h);
        }
    }

    @Test
    void emptyOrMissingTargets() {
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: []")))
                .containsExactly("models.chat.targets: must list at least one provider/model");
        assertThat(problems(VALID.replace("targets: [sim/m]", "strategy: priority")))
                .containsExactly("models.chat.targets: is required: list at least one provider/model");
    }

    @Test
    void malformedTargetStrings() {
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim, /m, sim/, sim/m]"))).containsExactly(
                "models.chat.targets[0]: 'sim' must be provider/upstream-model, e.g. openai/gpt-4o-mini",
                "models.chat.targets[1]: '/m' must be provider/upstream-model, e.g. openai/gpt-4o-mini",
                "models.chat.targets[2]: 'sim/' must be provider/upstream-model, e.g. openai/gpt-4o-mini");
    }

    @Test
    void unknownProviderInATargetSuggestsTheClosestName() {
        String yaml = """
                auth: {allow_anonymous: true}
                providers:
                  groq: {type: groq, api_key: k}
                  anthropic-eu: {type: simulated}
                models:
                  summarize:
                    targets:
                      - anthropic-eu/claude
                      - groqq/llama-3.1-8b-instant
                      - { target: mistral/large, weight: 2 }
                """;
        assertThat(problems(yaml)).containsExactly(
                "models.summarize.targets[1]: unknown provider 'groqq' (did you mean 'groq'?)",
                "models.summarize.targets[2].target: unknown provider 'mistral' (declared: groq, anthropic-eu)");
    }

    @Test
    void weightedTargetObjects() throws Exception {
        GatewayConfig c = load(VALID.replace("targets: [sim/m]", "targets: [{target: sim/a, weight: 3}, sim/b/c]"), Map.of());
        assertThat(c.models().get("chat").targets()).containsExactly(new TargetRef("sim", "a", 3), new TargetRef("sim", "b/c", 1));
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [{weight: 3}, {target: sim/a, weight: -1, prio: 1}]")))
                .containsExactly(
                        "models.chat.targets[0].target: is required",
                        "models.chat.targets[1].prio: unknown key (expected one of target, weight)",
                        "models.chat.targets[1].weight: -1 is out of range 0..1000000");
    }

    @Test
    void retriesAreBounded() {
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    retries: {attempts: 11, backoff: fast}"))).containsExactly(
                "models.chat.retries.attempts: 11 is out of range 0..10",
                "models.chat.retries.backoff: 'fast' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m");
    }

    // ---- auth ----

    @Test
    void noAuthSectionAtAll() {
        assertThat(problems(VALID.replace("auth:\n  allow_anonymous: true\n", ""))).containsExactly(
                "auth: is required: add auth.keys (client keys) or set auth.allow_anonymous: true");
    }

    @Test
    void noKeysWithoutAnonymousAccess() {
        assertThat(problems(VALID.replace("allow_anonymous: true", "admin_key: adm"))).containsExactly(
                "auth.keys: no client keys configured: add auth.keys or set auth.allow_anonymous: true");
        assertThat(problems(VALID.replace("allow_anonymous: true", "keys: []"))).containsExactly(
                "auth.keys: no client keys configured: add auth.keys or set auth.allow_anonymous: true");
        assertThat(problems(VALID.replace("allow_anonymous: true", "allow_anonymous: false"))).containsExactly(
                "auth.keys: no client keys configured: add auth.keys or set auth.allow_anonymous: true");
    }

    @Test
    void clientKeysAreRead() throws Exception {
        String yaml = VALID.replace("allow_anonymous: true", """
                keys:
                    - {name: a, key: ka, models: "chat*", budget: {usd_per_day: 5}, limits: {rpm: 10}}
                    - {name: b, key: kb}""");
        GatewayConfig c = load(yaml, Map.of());
        ClientKeyConfig a = c.auth().keys().get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.key().reveal()).isEqualTo("ka");
        assertThat(a.models()).containsExactly("chat*");
        assertThat(a.usdPerDay()).isEqualTo(5.0);
        assertThat(a.usdPerMonth()).isNull();
        assertThat(a.rpm()).isEqualTo(10);
        assertThat(a.tpm()).isNull();
        assertThat(c.auth().keys().get(1).models()).containsExactly("*");
    }

    @Test
    void keyProblems() {
        String yaml = VALID.replace("allow_anonymous: true", """
                admin_key: same-secret
                  keys:
                    - {name: app, key: k1}
                    - {name: app, key: k2}
                    - {name: other, key: same-secret}
                    - {name: nokey}
                    - {key: k3, budget: {usd_per_day: -1}, limits: {rpm: 0}, colour: blue}""");
        assertThat(problems(yaml)).containsExactly(
                "auth.keys[1].name: duplicate key name 'app'",
                "auth.keys[2].key: must differ from auth.admin_key: client and admin keys are never interchangeable",
                "auth.keys[3].key: is required (use env:NAME to keep it out of the file)",
                "auth.keys[4].colour: unknown key (expected one of budget, key, limits, metadata, models, name)",
                "auth.keys[4].name: is required",
                "auth.keys[4].budget.usd_per_day: -1 must be at least 0",
                "auth.keys[4].limits.rpm: 0 must be at least 1");
    }

    // ---- env: ----

    @Test
    void unsetEnvironmentVariableNamesTheVariableAndThePath() {
        String yaml = """
                auth:
                  keys: [{name: app, key: env:APP_KEY}]
                providers:
                  openai: {type: openai, api_key: env:OPENAI_API_KEY}
                models:
                  chat: {targets: [openai/gpt-4o-mini]}
                """;
        assertThat(problems(yaml, Map.of("APP_KEY", "k"))).containsExactly(
                "providers.openai.api_key: environment variable OPENAI_API_KEY is not set (export OPENAI_API_KEY=… or change this value)");
        assertThat(problems(yaml, Map.of("OPENAI_API_KEY", ""))).containsExactly(
                "providers.openai.api_key: environment variable OPENAI_API_KEY is not set (export OPENAI_API_KEY=… or change this value)",
                "auth.keys[0].key: environment variable APP_KEY is not set (export APP_KEY=… or change this value)");
    }

    @Test
    void environmentVariablesResolveAnywhere() throws Exception {
        String yaml = """
                server: {port: "env:PORT"}
                auth:
                  keys: [{name: app, key: env:APP_KEY}]
                providers:
                  openai: {type: openai, api_key: env:OPENAI_API_KEY, base_url: env:OPENAI_BASE}
                models:
                  chat: {targets: [openai/gpt-4o-mini]}
                """;
        GatewayConfig c = load(yaml, Map.of("PORT", "9090", "APP_KEY", "client-secret", "OPENAI_API_KEY", "sk-upstream",
                "OPENAI_BASE", "http://127.0.0.1:9/v1"));
        assertThat(c.server().port()).isEqualTo(9090);
        assertThat(c.providers().get("openai").apiKey().reveal()).isEqualTo("sk-upstream");
        assertThat(c.providers().get("openai").apiKey().source()).isEqualTo("env:OPENAI_API_KEY");
        assertThat(c.providers().get("openai").baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(c.auth().keys().get(0).key().reveal()).isEqualTo("client-secret");
    }

    // ---- other sections ----

    @Test
    void otherSections() {
        String yaml = VALID + """
                routing: {allow_direct: true, when_all_down: {wait_up_to: forever}}
                pricing: {overrides: {gpt-4o: {input_per_mtok: 1}, sim/m: {output_per_mtok: -2, cached_per_mtok: 1}}}
                store: {url: "mysql://db", retention: 30d}
                observability: {otlp_endpoint: http://127.0.0.1:4318, sampling: 1}
                """;
        assertThat(problems(yaml)).containsExactly(
                "routing.when_all_down.wait_up_to: 'forever' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m",
                "pricing.overrides.gpt-4o: price overrides are keyed by provider/upstream-model",
                "pricing.overrides.sim/m.cached_per_mtok: unknown key (expected one of cache_read_per_mtok, cache_write_per_mtok, input_per_mtok, output_per_mtok)",
                "pricing.overrides.sim/m.output_per_mtok: -2 must be at least 0",
                "store.url: 'mysql://db' must start with sqlite: or postgresql://",
                "observability.sampling: unknown key (expected one of metrics_public, otlp_endpoint)");
    }

    // ---- several problems at once ----

    @Test
    void everyProblemIsReportedInOneException() {
        String yaml = """
                server: {port: -1, colour: red}
                auth:
                  admin_key: a
                  keys: [{name: x, key: a}]
                providers:
                  openai: {type: openai}
                  local: {type: vllm}
                models:
                  chat: {targets: [openai/gpt-4o, locall/llama], strategy: random}
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml, Map.of()));
        List<String> expected = List.of(
                "server.colour: unknown key (expected one of cors, host, max_body_bytes, port, shutdown_grace)",
                "server.port: -1 is out of range 0..65535",
                "providers.openai.api_key: is required for type 'openai' (use env:NAME to read it from the environment)",
                "providers.local.base_url: is required for type 'vllm'",
                "models.chat.strategy: 'random' is not one of priority, weighted, least-latency, lowest-cost",
                "models.chat.targets[1]: unknown provider 'locall' (did you mean 'local'?)",
                "auth.keys[0].key: must differ from auth.admin_key: client and admin keys are never interchangeable");
        assertThat(e.problems()).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).startsWith("7 configuration problem(s):\n  - ");
        for (String p : expected) assertThat(e.getMessage()).contains("\n  - " + p);
    }

    @Test
    void problemsListIsImmutable() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load("", Map.of()));
        assertThatThrownBy(() -> e.problems().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
