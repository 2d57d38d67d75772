package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Costs per provider from the bundled catalog, each expected value worked out by hand from the catalog's
 * per-token prices (the comment on each row shows the sum).
 */
class CostCalculatorTest {
    /** provider name → type, as a configuration would declare them */
    static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("openai", "openai"), Map.entry("anthropic", "anthropic"), Map.entry("gemini", "gemini"),
            Map.entry("mistral", "mistral"), Map.entry("deepseek", "deepseek"), Map.entry("groq", "groq"),
            Map.entry("xai", "xai"), Map.entry("qwen", "qwen"), Map.entry("together", "together"),
            Map.entry("fireworks", "fireworks"), Map.entry("azure", "azure"), Map.entry("openrouter", "openrouter"),
            Map.entry("cohere", "cohere"), Map.entry("local", "vllm"), Map.entry("sim", "simulated"));

    static PriceBook book(Map<String, GatewayConfig.PriceOverride> overrides) {
        return new PriceBook(PriceCatalog.bundled(), TYPES, overrides);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // input 1000 (200 cached), output 500: 800×2.5e-6 + 200×1.25e-6 + 500×1e-5 = 0.002 + 0.00025 + 0.005
                Arguments.of("openai/gpt-4o", new Usage(1000, 200, 0, 500, 0), "0.00725"),
                // 6000×1.5e-7 + 4000×7.5e-8 + 1000×6e-7 = 0.0009 + 0.0003 + 0.0006
                Arguments.of("openai/gpt-4o-mini", new Usage(10_000, 4000, 0, 1000, 0), "0.0018"),
                // o3-mini has no reasoning price: reasoning is output. 1000×1.1e-6 + 1000×4.4e-6
                Arguments.of("openai/o3-mini", new Usage(1000, 0, 0, 1000, 800), "0.0055"),
                // embeddings: 1e6 × 2e-8
                Arguments.of("openai/text-embedding-3-small", new Usage(1_000_000, 0, 0, 0, 0), "0.02"),
                // Anthropic, cache read and write: 2000×3e-6 + 6000×3e-7 + 2000×3.75e-6 + 1000×1.5e-5
                Arguments.of("anthropic/claude-sonnet-4-5", new Usage(10_000, 6000, 2000, 1000, 0), "0.0303"),
                // over 200k prompt tokens: the whole request at the long-context prices
                // 200000×6e-6 + 50000×6e-7 + 2000×2.25e-5 = 1.2 + 0.03 + 0.045
                Arguments.of("anthropic/claude-sonnet-4-5", new Usage(250_000, 50_000, 0, 2000, 0), "1.275"),
                // exactly 200k is not above it: 200000×3e-6
                Arguments.of("anthropic/claude-sonnet-4-5", new Usage(200_000, 0, 0, 0, 0), "0.6"),
                // dated id, cache write: 1000×1e-6 + 1000×1.25e-6 + 100×5e-6 (claude-haiku-4-5)
                Arguments.of("anthropic/claude-haiku-4-5", new Usage(2000, 0, 1000, 100, 0), "0.00275"),
                // Gemini long context: 300000×2.5e-6 + 10000×1.5e-5
                Arguments.of("gemini/gemini-2.5-pro", new Usage(300_000, 0, 0, 10_000, 0), "0.9"),
                // Gemini short: 1000×1.25e-6 + 1000×1.25e-7 + 100×1e-5
                Arguments.of("gemini/gemini-2.5-pro", new Usage(2000, 1000, 0, 100, 0), "0.002375"),
                // reasoning price: 1000×3e-7 + 1000×3e-8 + 200×2.5e-6 + 300×2.5e-6
                Arguments.of("gemini/gemini-2.5-flash", new Usage(2000, 1000, 0, 500, 300), "0.00158"),
                // Qwen (dashscope/ key), reasoning dearer than output: 1000×5e-8 + 400×2e-7 + 600×5e-7
                Arguments.of("qwen/qwen-turbo", new Usage(1000, 0, 0, 1000, 600), "0.00043"),
                // DeepSeek cache hits: 400×2.8e-7 + 600×2.8e-8 + 100×4.2e-7
                Arguments.of("deepseek/deepseek-chat", new Usage(1000, 600, 0, 100, 0), "0.0001708"),
                // 1000×5e-7 + 1000×1.5e-6
                Arguments.of("mistral/mistral-large-latest", new Usage(1000, 0, 0, 1000, 0), "0.002"),
                // 1e6×5e-8 + 1e6×8e-8
                Arguments.of("groq/llama-3.1-8b-instant", new Usage(1_000_000, 0, 0, 1_000_000, 0), "0.13"),
                // 1000×3e-6 + 1000×7.5e-7 + 1000×1.5e-5
                Arguments.of("xai/grok-3", new Usage(2000, 1000, 0, 1000, 0), "0.01875"),
                // 1000×8.8e-7 + 1000×8.8e-7
                Arguments.of("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", new Usage(1000, 0, 0, 1000, 0), "0.00176"),
                // 1000×1e-7 + 1000×1e-7
                Arguments.of("fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct", new Usage(1000, 0, 0, 1000, 0), "0.0002"),
                // azure/ key: 1000×2.5e-6 + 100×1e-5
                Arguments.of("azure/gpt-4o", new Usage(1000, 0, 0, 100, 0), "0.0035"),
                // openrouter/ key: 1000×2.5e-6 + 100×1e-5
                Arguments.of("openrouter/openai/gpt-4o", new Usage(1000, 0, 0, 100, 0), "0.0035"),
                // plain key owned by cohere_chat: 1000×1.5e-7 + 1000×6e-7
                Arguments.of("cohere/command-r", new Usage(1000, 0, 0, 1000, 0), "0.00075"));
    }

    @ParameterizedTest(name = "{0} {1} = ${2}")
    @MethodSource("table")
    void costMatchesTheHandComputedValue(String target, Usage usage, String expected) {
        PriceBook b = book(Map.of());
        BigDecimal cost = b.cost(target, usage);
        assertThat(cost).isEqualByComparingTo(expected);
        assertThat(CostCalculator.format(cost)).isEqualTo(expected); // exact: no float digits creep in
        assertThat(b.unpricedCount()).isZero();
    }

    @Test
    void manyRequestsSumWithoutDrift() {
        PriceBook b = book(Map.of());
        BigDecimal sum = BigDecimal.ZERO;
        double naive = 0;
        for (int i = 0; i < 100_000; i++) {
            BigDecimal c = b.cost("openai/gpt-4o-mini", new Usage(7, 0, 0, 3, 0)); // 7×1.5e-7 + 3×6e-7 = 2.85e-6
            sum = sum.add(c);
            naive += c.doubleValue();
        }
        assertThat(sum).isEqualByComparingTo("0.285");
        assertThat(naive).isNotEqualTo(0.285); // what a double-based ledger would have recorded
        assertThat(CostCalculator.toNanos(sum)).isEqualTo(285_000_000L);
    }

    @Test
    void aModelWithoutAPriceCostsNullAndIsCounted() {
        PriceBook b = book(Map.of());
        assertThat(b.cost("local/llama-3.1-8b-instruct", new Usage(10, 0, 0, 5, 0))).isNull();
        assertThat(b.cost("sim/sim-large", new Usage(10, 0, 0, 5, 0))).isNull();
        assertThat(b.cost("openai/no-such-model", new Usage(10, 0, 0, 5, 0))).isNull();
        assertThat(b.cost("local/llama-3.1-8b-instruct", new Usage(10, 0, 0, 5, 0))).isNull();
        assertThat(b.unpricedCount()).isEqualTo(4);
        // nothing consumed is nothing owed, priced or not
        assertThat(b.cost("local/llama-3.1-8b-instruct", Usage.NONE)).isEqualByComparingTo("0");
        assertThat(b.cost("openai/gpt-4o", null)).isNull(); // usage never reported: unknown, not zero
    }

    @Test
    void aSelfHostedServerIsNeverPricedAsTheVendorsModel() {
        // a vllm server that calls its model "gpt-4o" is not OpenAI's gpt-4o
        assertThat(book(Map.of()).resolve("local/gpt-4o").price()).isNull();
    }

    @Test
    void overridesWinAndFillGaps() {
        PriceBook b = book(Map.of(
                "local/llama-3.1-8b-instruct", new GatewayConfig.PriceOverride(0.0, 0.0, null, null),
                "sim/sim-large", new GatewayConfig.PriceOverride(0.15, 0.6, 0.075, null),
                "openai/gpt-4o", new GatewayConfig.PriceOverride(2.0, null, null, null),
                "anthropic/claude-sonnet-4-5", new GatewayConfig.PriceOverride(null, null, 0.5, null)));
        assertThat(b.cost("local/llama-3.1-8b-instruct", new Usage(1000, 0, 0, 1000, 0))).isEqualByComparingTo("0");
        // 900×1.5e-7 + 100×7.5e-8 + 50×6e-7
        assertThat(b.cost("sim/sim-large", new Usage(1000, 100, 0, 50, 0))).isEqualByComparingTo("0.0001725");
        // input from config (2e-6), output and cache read still from the catalog: 800×2e-6 + 200×1.25e-6 + 500×1e-5
        assertThat(b.cost("openai/gpt-4o", new Usage(1000, 200, 0, 500, 0))).isEqualByComparingTo("0.00685");
        assertThat(b.resolve("openai/gpt-4o").source()).isEqualTo("override+catalog:gpt-4o");
        // only the cache-read price overridden: the catalog's long-context tier still applies
        // 200000×6e-6 + 50000×6e-7 (tier cache read) + 2000×2.25e-5
        assertThat(b.cost("anthropic/claude-sonnet-4-5", new Usage(250_000, 50_000, 0, 2000, 0))).isEqualByComparingTo("1.275");
        // below the tier: 1000 cached at the override's 5e-7
        assertThat(b.cost("anthropic/claude-sonnet-4-5", new Usage(1000, 1000, 0, 0, 0))).isEqualByComparingTo("0.0005");
        assertThat(b.unpricedCount()).isZero();
    }

    @Test
    void badCountsFromAnUpstreamNeverGoNegative() {
        // more cached than input (a confused upstream): cached is capped at input, nothing is negative
        assertThat(book(Map.of()).cost("openai/gpt-4o", new Usage(100, 500, 0, 10, 50))).isEqualByComparingTo("0.000225");
    }

    @Test
    void nanoDollarsRoundHalfEven() {
        assertThat(CostCalculator.toNanos(new BigDecimal("0.0000000015"))).isEqualTo(2);
        assertThat(CostCalculator.toNanos(new BigDecimal("0.0000000025"))).isEqualTo(2);
        assertThat(CostCalculator.fromNanos(7_250_000)).isEqualByComparingTo("0.00725");
        assertThat(CostCalculator.fromNanos(10_000_000_000L).toPlainString()).isEqualTo("10");
        assertThat(CostCalculator.format(new BigDecimal("10.000"))).isEqualTo("10"); // never 1E+1 in a header
        assertThat(CostCalculator.format(new BigDecimal("0E-12"))).isEqualTo("0");
    }
}
