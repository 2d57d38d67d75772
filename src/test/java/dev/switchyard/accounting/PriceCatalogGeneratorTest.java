package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed price catalog must be what the generator makes from the shared data, digit for digit. */
class PriceCatalogGeneratorTest {
    static final Path SOURCE = Path.of("..", "shared", "data", "model-prices.json");
    static final Path COMMITTED = Path.of("src", "main", "resources", "switchyard", "prices.tsv");

    @Test
    void committedCatalogIsCurrent() throws Exception {
        assumeTrue(Files.exists(SOURCE), "no ../shared/data here: the committed catalog is used as is");
        String fresh = PriceCatalogGenerator.render(SOURCE);
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("prices.tsv is stale: run 'mvn generate-resources' (profile price-catalog) and commit it")
                .isEqualTo(fresh);
    }

    @Test
    void versionIsTheSnapshotDateOfTheData() throws Exception {
        assumeTrue(Files.exists(SOURCE));
        assertThat(PriceCatalogGenerator.snapshotDate(SOURCE.resolveSibling("README.md"))).isEqualTo("2026-07-24");
    }

    @Test
    void bundledCatalogHoldsChatAndEmbeddingModelsWithExactPrices() {
        PriceCatalog c = PriceCatalog.bundled();
        assertThat(c.version()).isEqualTo("2026-07-24");
        assertThat(c.size()).isGreaterThan(2000);
        CatalogEntry gpt4o = c.entry("gpt-4o");
        assertThat(gpt4o.mode()).isEqualTo("chat");
        assertThat(gpt4o.price().input()).isEqualByComparingTo("0.0000025");
        assertThat(gpt4o.price().input().toPlainString()).isEqualTo("0.0000025"); // no float round trip
        assertThat(c.entry("text-embedding-3-small").mode()).isEqualTo("embedding");
        assertThat(c.entry("sample_spec")).isNull();
        assertThat(c.entry("dall-e-3")).isNull(); // image generation is not priced per token
        ModelPrice.Tier t = c.entry("claude-sonnet-4-5").price().tier();
        assertThat(t.above()).isEqualTo(200_000);
        assertThat(t.output()).isEqualByComparingTo("0.0000225");
    }

    @Test
    void limitsPerProviderModelForAdapters() {
        ModelLimits limits = ModelLimits.bundled();
        assertThat(limits.maxOutputTokens("anthropic", "claude-sonnet-4-5")).hasValue(64_000);
        assertThat(limits.contextWindow("anthropic", "claude-sonnet-4-5")).hasValue(200_000);
        assertThat(limits.contextWindow("gemini", "gemini-2.5-pro")).hasValue(1_048_576);
        assertThat(limits.maxOutputTokens("mistral", "mistral-large-latest")).hasValue(262_144);
        assertThat(limits.maxOutputTokens("vllm", "llama-3.1-8b-instruct")).isEmpty();
        assertThat(limits.contextWindow("anthropic", "no-such-model")).isEmpty();
    }
}
