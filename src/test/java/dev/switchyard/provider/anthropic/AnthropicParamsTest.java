package dev.switchyard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import dev.switchyard.provider.translate.ParamTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicParamsTest {
    /**
     * Every top-level member of OpenAI's {@code CreateChatCompletionRequest} (with {@code CreateModelResponseProperties}
     * and {@code ModelResponseProperties}), openai-openapi spec 2.3.0 in shared/specs.
     */
    private static final List<String> OPENAI_CHAT_PARAMS = List.of(
            "messages", "model", "service_tier", "modalities", "verbosity", "reasoning_effort", "max_completion_tokens",
            "frequency_penalty", "presence_penalty", "web_search_options", "top_logprobs", "response_format", "audio",
            "store", "moderation", "stream", "stop", "logit_bias", "logprobs", "max_tokens", "n", "prediction", "seed",
            "stream_options", "tools", "tool_choice", "parallel_tool_calls", "function_call", "functions", "metadata",
            "temperature", "top_p", "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention",
            "prompt_cache_options");

    @Test
    void everyOpenAiChatParameterHasAFate() {
        for (String p : OPENAI_CHAT_PARAMS) assertThat(AnthropicParams.TABLE.rule(p)).as(p).isNotNull();
    }

    @Test
    void theDocsShowTheTableAsItIs() throws Exception {
        String doc = Files.readString(Path.of("docs/providers-anthropic.md"));
        for (ParamTable.Rule r : AnthropicParams.TABLE.rules()) {
            assertThat(doc).as("docs row for %s", r.name())
                    .contains("| `" + r.name() + "` | " + r.fate().name().toLowerCase() + " | " + r.note() + " |");
        }
    }

    @Test
    void optionsAreCheckedWhenTheProviderIsBuilt() {
        assertThatThrownBy(() -> AnthropicOptions.of(provider(Map.of("default_max_tokens", "lots"))))
                .hasMessageContaining("providers.claude.options.default_max_tokens");
        AnthropicOptions o = AnthropicOptions.of(provider(Map.of("anthropic_beta", " a, b ,,")));
        assertThat(o.betas()).containsExactly("a", "b");
        assertThat(o.version()).isEqualTo("2023-06-01");
        assertThat(o.defaultMaxTokens()).isEmpty();
    }

    @Test
    void thinkingBudgetFitsTheClientLimit() {
        assertThat(ThinkingBudget.fit(16384, 3000)).isEqualTo(1500);
        assertThat(ThinkingBudget.fit(2048, 100_000)).isEqualTo(2048);
        assertThat(ThinkingBudget.fit(1024, 2000)).isEqualTo(1024);
        assertThat(ThinkingBudget.fit(1024, 1024)).isZero(); // the budget must stay below max_tokens
    }

    private static ProviderConfig provider(Map<String, String> options) {
        return new ProviderConfig("claude", "anthropic", null, null, Timeouts.NONE, Map.of(), options, null, 1, null);
    }
}
