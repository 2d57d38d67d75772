package dev.switchyard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.provider.ProviderType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented example config loads, and no secret ever shows in a config dump or an error message. */
class ConfigExampleAndSecretsTest {
    private static final Path EXAMPLE = Path.of("../shared/config-example.yaml");

    /** Every variable the example names, each with a distinctive value to search for in dumps. */
    private static final Map<String, String> ENV = Map.of(
            "SWITCHYARD_ADMIN_KEY", "secret-admin-0001",
            "APP_BACKEND_KEY", "secret-client-0002",
            "OPENAI_API_KEY", "secret-openai-0003",
            "ANTHROPIC_API_KEY", "secret-anthropic-0004",
            "MISTRAL_API_KEY", "secret-mistral-0005",
            "DASHSCOPE_API_KEY", "secret-dashscope-0006",
            "GEMINI_API_KEY", "secret-gemini-0007",
            "DEEPSEEK_API_KEY", "secret-deepseek-0008");

    /**
     * The standard registry, plus placeholders for the native types the example uses that this build may
     * not have yet: validation only needs a type's name and whether it needs a key.
     */
    private static ProviderRegistry types() {
        ProviderRegistry r = ProviderRegistry.standard();
        for (String native_ : List.of("anthropic", "gemini")) {
            if (!r.names().contains(native_)) {
                r.register(new ProviderType(native_, true, "https://" + native_ + ".invalid", false, p -> {
                    throw new UnsupportedOperationException("validation-only placeholder");
                }));
            }
        }
        return r;
    }

    private static String example() throws Exception {
        assumeTrue(Files.isReadable(EXAMPLE), "the shared example config is not next to this checkout");
        return Files.readString(EXAMPLE);
    }

    @Test
    void sharedExampleLoads() throws Exception {
        GatewayConfig c = new ConfigLoader(types(), ENV::get).parse(example(), "config-example.yaml");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.auth().adminKey().reveal()).isEqualTo("secret-admin-0001");
        ClientKeyConfig key = c.auth().keys().get(0);
        assertThat(key.name()).isEqualTo("app-backend");
        assertThat(key.key().reveal()).isEqualTo("secret-client-0002");
        assertThat(key.usdPerDay()).isEqualTo(50.0);
        assertThat(key.usdPerMonth()).isEqualTo(500.0);
        assertThat(key.rpm()).isEqualTo(600);
        assertThat(key.tpm()).isEqualTo(200_000);
        assertThat(c.providers()).containsOnlyKeys("openai", "anthropic", "mistral", "qwen", "gemini", "deepseek", "local");
        assertThat(c.providers().get("anthropic").timeouts()).isEqualTo(new Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(180)));
        assertThat(c.providers().get("local").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
        assertThat(c.models()).containsOnlyKeys("summarize", "reasoning", "code", "fast-chat", "embed");
        assertThat(c.models().get("summarize").targets()).extracting(TargetRef::id).containsExactly(
                "anthropic/claude-3-5-haiku-latest", "mistral/mistral-large-latest", "qwen/qwen2.5-72b-instruct");
        assertThat(c.models().get("reasoning").timeouts().firstToken()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.models().get("code").retries()).isEqualTo(1);
        assertThat(c.models().get("code").backoff()).isEqualTo(Duration.ofMillis(200));
        ModelRoute fast = c.models().get("fast-chat");
        assertThat(fast.strategy()).isEqualTo(ModelRoute.Strategy.LEAST_LATENCY);
        assertThat(fast.targets()).containsExactly(new TargetRef("gemini", "gemini-2.0-flash", 2),
                new TargetRef("local", "llama-3.1-8b-instruct", 1));
        assertThat(fast.hedge()).isEqualTo("p95");
        assertThat(c.routing().allowDirect()).isTrue();
        assertThat(c.routing().waitUpTo()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.routing().breaker()).isEqualTo(GatewayConfig.Breaker.DEFAULT);
        assertThat(c.priceOverrides().get("local/llama-3.1-8b-instruct"))
                .isEqualTo(new GatewayConfig.PriceOverride(0.0, 0.0, null, null));
        assertThat(c.store()).isEqualTo(new GatewayConfig.Store("sqlite:./data/switchyard.db", Duration.ofDays(30)));
        assertThat(c.otlpEndpoint()).isNull();
    }

    @Test
    void sharedExampleWithoutItsEnvironmentNamesEveryMissingVariable() throws Exception {
        // Read outside the lambda: a missing example must skip the test, not be caught as the wrong exception.
        String example = example();
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(types(), name -> null).parse(example, "config-example.yaml"));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "providers.openai.api_key: environment variable OPENAI_API_KEY is not set (export OPENAI_API_KEY=… or change this value)",
                "providers.anthropic.api_key: environment variable ANTHROPIC_API_KEY is not set (export ANTHROPIC_API_KEY=… or change this value)",
                "providers.mistral.api_key: environment variable MISTRAL_API_KEY is not set (export MISTRAL_API_KEY=… or change this value)",
                "providers.qwen.api_key: environment variable DASHSCOPE_API_KEY is not set (export DASHSCOPE_API_KEY=… or change this value)",
                "providers.gemini.api_key: environment variable GEMINI_API_KEY is not set (export GEMINI_API_KEY=… or change this value)",
                "providers.deepseek.api_key: environment variable DEEPSEEK_API_KEY is not set (export DEEPSEEK_API_KEY=… or change this value)",
                "auth.admin_key: environment variable SWITCHYARD_ADMIN_KEY is not set (export SWITCHYARD_ADMIN_KEY=… or change this value)",
                "auth.keys[0].key: environment variable APP_BACKEND_KEY is not set (export APP_BACKEND_KEY=… or change this value)");
    }

    private static final String WITH_SECRETS = """
            auth:
              admin_key: inline-admin-s3cret
              keys:
                - {name: app, key: env:APP_KEY}
                - {name: inline, key: inline-client-s3cret}
            providers:
              openai:
                type: openai
                api_key: env:OPENAI_API_KEY
                headers: {OpenAI-Organization: org-1, x-extra-auth: env:EXTRA_TOKEN}
                options: {aws_secret: env:EXTRA_TOKEN}
              groq: {type: groq, api_key: inline-groq-s3cret}
            models:
              chat: {targets: [openai/gpt-4o-mini, groq/llama]}
            """;

    private static final Map<String, String> SECRET_ENV = Map.of(
            "APP_KEY", "env-client-s3cret", "OPENAI_API_KEY", "env-openai-s3cret", "EXTRA_TOKEN", "env-header-s3cret");

    private static final List<String> SECRETS = List.of("inline-admin-s3cret", "inline-client-s3cret", "inline-groq-s3cret",
            "env-client-s3cret", "env-openai-s3cret", "env-header-s3cret");

    @Test
    void configRecordsNeverPrintSecrets() throws Exception {
        GatewayConfig c = new ConfigLoader(types(), SECRET_ENV::get).parse(WITH_SECRETS, "t.yaml");
        assertThat(c.providers().get("openai").headers()).containsEntry("x-extra-auth", "env-header-s3cret");
        List<String> dumps = List.of(c.toString(), c.auth().toString(), c.auth().keys().toString(),
                c.providers().toString(), c.providers().get("openai").toString(), c.auth().adminKey().toString());
        for (String dump : dumps) {
            for (String secret : SECRETS) assertThat(dump).doesNotContain(secret);
        }
        assertThat(c.providers().get("openai").toString()).contains("env:OPENAI_API_KEY").contains("x-extra-auth");
        assertThat(c.auth().adminKey().toString()).isEqualTo("<redacted:inline>");
    }

    @Test
    void errorMessagesNeverPrintSecrets() {
        List<String> broken = List.of(
                // a client key equal to the admin key
                WITH_SECRETS.replace("key: inline-client-s3cret", "key: inline-admin-s3cret"),
                // unknown keys next to secrets, a misspelt secret field
                WITH_SECRETS.replace("api_key: inline-groq-s3cret", "apikey: inline-groq-s3cret, colour: env-openai-s3cret"),
                // a secret where a mapping or a number belongs
                WITH_SECRETS.replace("keys:", "keys: inline-client-s3cret\n  old_keys:"),
                WITH_SECRETS + "server: {port: inline-admin-s3cret}\n",
                // broken YAML on the line that holds a secret
                WITH_SECRETS.replace("groq: {type: groq, api_key: inline-groq-s3cret}", "groq: {type: groq, api_key: inline-groq-s3cret"),
                WITH_SECRETS.replace("  admin_key: inline-admin-s3cret", "  admin_key: inline-admin-s3cret: x"));
        for (String yaml : broken) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> new ConfigLoader(types(), SECRET_ENV::get).parse(yaml, "t.yaml"));
            assertThat(e).as("expected a rejection of:\n%s", yaml).isNotNull();
            for (String secret : SECRETS) {
                if (secret.equals("inline-admin-s3cret") && yaml.contains("port: inline-admin-s3cret")) continue;
                assertThat(e.getMessage()).as("message for:\n%s", yaml).doesNotContain(secret);
            }
        }
    }
}
