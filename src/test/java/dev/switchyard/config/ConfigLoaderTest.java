package dev.switchyard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchyard.provider.ProviderRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every error path of {@link ConfigLoader}: each problem is asserted with its exact path and message,
 * because the message is the operator's only guide to fixing the file.
 */
class ConfigLoaderTest {
    private static final ProviderRegistry TYPES = ProviderRegistry.standard();

    /** A valid file the tests below break one piece at a time. */
    static final String VALID = """
            auth:
              allow_anonymous: true
            providers:
              sim:
                type: simulated
            models:
              chat:
                targets: [sim/m]
            """;

    static GatewayConfig load(String yaml, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(TYPES, env::get).parse(yaml, "test.yaml");
    }

    static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    static List<String> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml, env));
        assertThat(e).as("expected the config to be rejected:\n%s", yaml).isNotNull();
        return e.problems();
    }

    @Test
    void validMinimalConfigLoadsWithDefaults() throws Exception {
        GatewayConfig c = load(VALID, Map.of());
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.providers()).containsOnlyKeys("sim");
        assertThat(c.providers().get("sim").simulate()).isEqualTo(SimulationSpec.DEFAULT);
        assertThat(c.models().get("chat").targets()).containsExactly(new TargetRef("sim", "m", 1));
        assertThat(c.models().get("chat").strategy()).isEqualTo(ModelRoute.Strategy.PRIORITY);
        assertThat(c.auth().allowAnonymous()).isTrue();
    }

    // ---- structure ----

    @Test
    void emptyFileOrNonMappingIsRejected() {
        assertThat(problems("")).containsExactly("(root): the file must be a YAML mapping with at least 'providers' and 'models'");
        assertThat(problems("- a\n- b\n")).containsExactly("(root): the file must be a YAML mapping with at least 'providers' and 'models'");
    }

    @Test
    void invalidYamlNamesTheSourceAndThePosition() {
        assertThat(problems("providers: [a\nmodels: {")).containsExactly(
                "test.yaml: not valid YAML: while parsing a flow sequence; expected ',' or ']', but got : (line 2, column 7)");
        assertThat(problems("auth:\n  allow_anonymous: true\n  keys: b: c\n")).containsExactly(
                "test.yaml: not valid YAML: mapping values are not allowed here (line 3, column 10)");
    }

    @Test
    void duplicateYamlKeysAreAnErrorNotASilentOverride() {
        String yaml = VALID.replace("    type: simulated", "    type: simulated\n  sim:\n    type: ollama");
        assertThat(problems(yaml)).containsExactly("test.yaml: not valid YAML: Duplicate field 'sim' (line 6, column 6)");
    }

    @Test
    void unknownTopLevelKeyListsTheKnownOnesInAStableOrder() {
        assertThat(problems(VALID + "serverr: {port: 1}\n")).containsExactly(
                "serverr: unknown key (expected one of auth, models, observability, pricing, providers, routing, server, store)");
    }

    @Test
    void unknownSectionKeys() {
        assertThat(problems(VALID + "server: {prot: 80}\n")).containsExactly(
                "server.prot: unknown key (expected one of cors, host, max_body_bytes, port, shutdown_grace)");
        String yaml = """
                auth: {allow_anonymous: true}
                providers:
                  sim: {type: simulated, api-key: x}
                models:
                  chat: {targets: [sim/m], retries: {attempts: 1, delay: 1s}}
                """;
        assertThat(problems(yaml)).containsExactly(
                "providers.sim.api-key: unknown key (expected one of api_key, api_version, base_url, ca_file, headers, limits, "
                        + "max_concurrency, max_connections, options, simulate, timeouts, type)",
                "models.chat.retries.delay: unknown key (expected one of attempts, backoff)");
    }

    @Test
    void missingProvidersAndModels() {
        assertThat(problems("auth: {allow_anonymous: true}\n")).containsExactly(
                "providers: is required: declare at least one provider (type: simulated works without keys)",
                "models: is required: declare at least one public model with its targets");
    }

    @Test
    void emptyProvidersAndModelsMappings() {
        assertThat(problems("auth: {allow_anonymous: true}\nproviders: {}\nmodels: {}\n")).containsExactly(
                "providers: declare at least one provider",
                "models: declare at least one public model with its targets");
    }

    @Test
    void sectionOfTheWrongShape() {
        assertThat(problems(VALID + "server: 8080\n")).containsExactly("server: must be a mapping (key: value), got a number");
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: sim/m"))).containsExactly(
                "models.chat.targets: must be a list, got a string");
    }

    @Test
    void emptyProviderAndModelEntries() {
        String yaml = """
                auth: {allow_anonymous: true}
                providers:
                  sim: {type: simulated}
                  other:
                models:
                  chat: {targets: [sim/m]}
                  empty:
                """;
        assertThat(problems(yaml)).containsExactly(
                "providers.other: is empty: give it at least a 'type'",
                "models.empty: is empty: give it 'targets'");
    }

    // ---- providers ----

    @Test
    void providerNeedsAType() {
        assertThat(problems(VALID.replace("type: simulated", "base_url: http://127.0.0.1:1/v1")))
                .containsExactly("providers.sim.type: is required");
    }

    @Test
    void unknownProviderType() {
        assertThat(problems(VALID.replace("type: simulated", "type: opnai"))).containsExactly(
                "providers.sim.type: unknown provider type 'opnai' (known: " + String.join(", ", TYPES.names()) + ")");
    }

    @Test
    void simulateOnlyAppliesToSimulatedTypes() {
        String yaml = VALID.replace("type: simulated", "type: vllm\n    base_url: http://127.0.0.1:8000/v1\n    simulate: {failure_rate: 0.5}");
        assertThat(problems(yaml)).containsExactly("providers.sim.simulate: only applies to type 'simulated'");
        // an unknown type is reported once, not again as "simulate only applies to …"
        assertThat(problems(VALID.replace("type: simulated", "type: simulatd\n    simulate: {}"))).hasSize(1);
    }

    @Test
    void providerNameCharacters() {
        assertThat(problems(VALID.replace("sim:", "\"my sim\":").replace("[sim/m]", "[\"my sim/m\"]"))).containsExactly(
                "providers.my sim: provider names may use letters, digits, '.', '_' and '-' only");
    }

    @Test
    void apiKeyRequiredForTypesThatNeedOne() {
        String yaml = VALID.replace("type: simulated", "type: openai");
        assertThat(problems(yaml)).containsExactly(
                "providers.sim.api_key: is required for type 'openai' (use env:NAME to read it from the environment)");
        // key-less types are fine without one
        for (String t : List.of("ollama", "simulated")) {
            assertThat(catchThrowableOfType(ConfigException.class, () -> load(VALID.replace("type: simulated", "type: " + t), Map.of())))
                    .as(t).isNull();
        }
    }

    @Test
    void baseUrlRequiredForVllmAndCompat() {
        for (String t : List.of("vllm", "compat")) {
            assertThat(problems(VALID.replace("type: simulated", "type: " + t)))
                    .containsExactly("providers.sim.base_url: is required for type '" + t + "'");
        }
    }

    @Test
    void badBaseUrls() {
        assertThat(problems(VALID.replace("type: simulated", "type: vllm\n    base_url: ftp://127.0.0.1/v1")))
                .containsExactly("providers.sim.base_url: 'ftp://127.0.0.1/v1' must be an http:// or https:// URL with a host");
        assertThat(problems(VALID.replace("type: simulated", "type: vllm\n    base_url: \"http:///v1\"")))
                .containsExactly("providers.sim.base_url: 'http:///v1' must be an http:// or https:// URL with a host");
        assertThat(problems(VALID.replace("type: simulated", "type: vllm\n    base_url: \"http://bad host/v1\"")))
                .containsExactly("providers.sim.base_url: 'http://bad host/v1' is not a valid URL");
    }

    @Test
    void baseUrlLosesItsTrailingSlash() throws Exception {
        GatewayConfig c = load(VALID.replace("type: simulated", "type: vllm\n    base_url: http://127.0.0.1:8000/v1/"), Map.of());
        assertThat(c.providers().get("sim").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    }

    @Test
    void unreadableCaFile() {
        assertThat(problems(VALID.replace("type: simulated", "type: simulated\n    ca_file: /nonexistent/ca.pem")))
                .containsExactly("providers.sim.ca_file: cannot read '/nonexistent/ca.pem'");
    }

    @Test
    void badDurations() {
        String yaml = VALID.replace("type: simulated", "type: simulated\n    timeouts: {connect: 5, idle: soon, total: 2 minutes}");
        assertThat(problems(yaml)).containsExactly(
                "providers.sim.timeouts.connect: '5' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m",
                "providers.sim.timeouts.idle: 'soon' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m",
                "providers.sim.timeouts.total: '2 minutes' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m");
        assertThat(problems(VALID.replace("targets: [sim/m]", "targets: [sim/m]\n    timeouts: {first_tokn: 1s}")))
                .containsExactly("models.chat.timeouts.first_tokn: unknown key (expected one of connect, first_token, idle, total)");
    }

    @Test
    void goodDurationsAndSizes() throws Exception {
        GatewayConfig c = load(VALID + "server: {max_body_bytes: 512KiB, shutdown_grace: 1.5s}\n", Map.of());
        assertThat(c.server().maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(c.server().shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
        assertThat(load(VALID + "server: {max_body_bytes: 2048}\n", Map.of()).server().maxBodyBytes()).isEqualTo(2048);
        assertThat(load(VALID + "server: {max_body_bytes: 10 MB}\n", Map.of()).server().maxBodyBytes()).isEqualTo(10_000_000);
    }

    @Test
    void badSizes() {
        assertThat(problems(VALID + "server: {max_body_bytes: ten}\n"))
                .containsExactly("server.max_body_bytes: 'ten' is not a size; write e.g. 10MiB, 512KiB or a byte count");
        assertThat(problems(VALID + "server: {max_body_bytes: 10TiB}\n"))
                .containsExactly("server.max_body_bytes: '10TiB' is not a size; write e.g. 10MiB, 512KiB or a byte count");
        // too big for a long: a config problem, not a crash
        assertThat(problems(VALID + "server: {max_body_bytes: 99999999999999999999}\n")).containsExactly(
                "server.max_body_bytes: '99999999999999999999' is not a size; write e.g. 10MiB, 512KiB or a byte count");
        assertThat(problems(VALID + "server: {max_body_bytes: 9000000000GiB}\n")).containsExactly(
                "server.max_body_bytes: '9000000000GiB' is not a size; write e.g. 10MiB, 512KiB or a byte count");
    }

    @Test
    void badNumbers() {
        String yaml = VALID.replace("type: simulated",
                "type: simulated\n    max_connections: lots\n    simulate: {failure_rate: 1.5, output_tokens: 2.5, tokens_per_second: fast, failure_status: 200}");
        assertThat(problems(yaml)).containsExactly(
                "providers.sim.simulate.tokens_per_second: 'fast' is not a number",
                "providers.sim.simulate.output_tokens: '2.5' is not a whole number",
                "providers.sim.simulate.failure_rate: 1.5 is out of range 0..1",
                "providers.sim.simulate.failure_status: 200 is out of range 400..599",
                "providers.sim.max_connections: 'lots' is not a whole number");
        assertThat(problems(VALID + "server: {port: 70000}\n")).containsExactly("server.port: 70000 is out of range 0..65535");
    }

    @Test
    void badSimulationFailureMode() {
        assertThat(problems(VALID.replace("type: simulated", "type: simulated\n    simulate: {failure: explode}")))
                .containsExactly("providers.sim.simulate.failure: 'explode' is not one of status, hang, drop, drop_mid_stream");
    }

    @Test
    void simulationSpecIsRead() throws Exception {
        GatewayConfig c = load(VALID.replace("type: simulated", """
                type: simulated
                    simulate: {first_token: 10ms, tokens_per_second: 0, output_tokens: 3, failure_rate: 0.25, failure: drop-mid-stream, failure_status: 429}"""),
                Map.of());
        assertThat(c.providers().get("sim").simulate()).isEqualTo(new SimulationSpec(
                Duration.ofMillis(10), 0, 3, 0.25, SimulationSpec.Failure.DROP_MID_STREAM, 429));
    }

    @Test
    void badBooleans() {
        assertThat(problems(VALID.replace("allow_anonymous: true", "allow_anonymous: maybe\n  keys: [{name: a, key: k}]")))
                .containsExactly("auth.allow_anonymous: 'maybe' is not true or false");
        assertThat(problems(VALID + "routing: {allow_direct: 2}\n"))
                .containsExactly("routing.allow_direct: '2' is not true or false");
    }
}
