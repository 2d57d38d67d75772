package dev.switchyard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.provider.translate.ParamTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GeminiParamsTest {
    @Test
    void theDocsShowBothTablesAsTheyAre() throws Exception {
        String doc = Files.readString(Path.of("docs/providers-gemini-azure.md"));
        for (ParamTable table : new ParamTable[] {GeminiParams.CHAT, GeminiParams.EMBEDDINGS}) {
            for (ParamTable.Rule r : table.rules()) {
                assertThat(doc).as("docs row for %s", r.name())
                        .contains("| `" + r.name() + "` | " + r.fate().name().toLowerCase() + " | " + r.note() + " |");
            }
        }
    }
}
