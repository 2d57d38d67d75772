package dev.switchyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.provider.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages. No test here gets as far as starting a server. */
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String VALID = """
            auth: {keys: [{name: app, key: env:APP_KEY}]}
            providers:
              sim: {type: simulated}
              other: {type: simulated}
            models:
              chat: {targets: [sim/m, other/m]}
            """;

    private static final String INVALID = """
            auth: {allow_anonymous: maybe}
            providers:
              openai: {type: openai}
            models:
              chat: {targets: [opnai/gpt-4o], strategy: random}
            """;

    @Test
    void help() {
        for (String flag : new String[] {"--help", "-h", "help"}) {
            Result r = run(flag);
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo(Main.USAGE);
            assertThat(r.err()).isEmpty();
        }
        // help wins wherever it is
        assertThat(run("--port", "1", "--help").code()).isZero();
    }

    @Test
    void unknownArgument() {
        Result r = run("--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("switchyard: unknown argument '--bogus'\nRun with --help for usage.\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingOptionValues() {
        assertThat(run("--config").err()).startsWith("switchyard: --config needs a file\n");
        assertThat(run("--config").code()).isEqualTo(2);
        assertThat(run("--port").code()).isEqualTo(2);
        Result v = run("validate-config");
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err()).isEqualTo("validate-config needs a file: switchyard validate-config FILE\n");
    }

    @Test
    void badPorts() throws Exception {
        Path bad = file("bad.yaml", INVALID);
        for (String[] args : new String[][] {
                {"--port", "abc", "--config", bad.toString()},
                {"--port", "70000", "--config", bad.toString()},
                {"--port=-1", "--config", bad.toString()},
                {"--port=70000", "--config", bad.toString()},
                {"--port=x", "--config", bad.toString()}}) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("switchyard: --port must be a number from 0 to 65535, got '");
        }
    }

    @Test
    void noConfigurationAtAll() {
        Result r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("switchyard: no configuration: pass --config FILE, set SWITCHYARD_CONFIG, or use --demo\n"
                + "Run with --help for usage.\n");
        assertThat(run("--port", "9000").code()).isEqualTo(2);
    }

    @Test
    void validateConfigOnAValidFile() throws Exception {
        Path f = file("ok.yaml", VALID);
        Result r = run(Map.of("APP_KEY", "k"), "validate-config", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(f + ": valid (2 providers, 1 models)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void validateConfigPrintsEveryProblem() throws Exception {
        Path f = file("bad.yaml", INVALID);
        Result r = run("validate-config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(f + ": 5 configuration problem(s):\n"
                + "  - providers.openai.api_key: is required for type 'openai' (use env:NAME to read it from the environment)\n"
                + "  - models.chat.strategy: 'random' is not one of priority, weighted, least-latency, lowest-cost\n"
                + "  - models.chat.targets[0]: unknown provider 'opnai' (did you mean 'openai'?)\n"
                + "  - auth.allow_anonymous: 'maybe' is not true or false\n"
                + "  - auth.keys: no client keys configured: add auth.keys or set auth.allow_anonymous: true\n");
    }

    @Test
    void validateConfigReadsTheEnvironmentItIsGiven() throws Exception {
        Path f = file("ok.yaml", VALID);
        Result r = run(Map.of(), "validate-config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("auth.keys[0].key: environment variable APP_KEY is not set (export APP_KEY=… or change this value)");
    }

    @Test
    void validateConfigOnAMissingFile() {
        Path f = dir.resolve("nope.yaml");
        Result r = run("validate-config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith(f + ": 1 configuration problem(s):\n  - " + f + ": cannot read the file (");
    }

    @Test
    void invalidConfigForTheServerIsExitCodeThreeWithAHint() throws Exception {
        Path f = file("bad.yaml", INVALID);
        Result r = run("--config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("switchyard: 5 configuration problem(s):\n")
                .contains("  - models.chat.targets[0]: unknown provider 'opnai' (did you mean 'openai'?)\n")
                .endsWith("Fix the problems above and start again (check a file with: switchyard validate-config FILE).\n");
        // the same through --config= and SWITCHYARD_CONFIG
        assertThat(run("--config=" + f).code()).isEqualTo(3);
        assertThat(run(Map.of("SWITCHYARD_CONFIG", f.toString())).code()).isEqualTo(3);
    }

    @Test
    void builtInDemoConfigIsValidWithoutAnyEnvironment() throws Exception {
        GatewayConfig c = new ConfigLoader(ProviderRegistry.standard(), name -> null).parse(Main.demoYaml(), "demo");
        assertThat(c.providers()).allSatisfy((name, p) -> assertThat(p.type()).isEqualTo("simulated"));
        assertThat(c.auth().keys()).isNotEmpty();
    }
}
