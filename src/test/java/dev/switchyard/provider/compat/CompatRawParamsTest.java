package dev.switchyard.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.web.RequestScanner;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests leave the byte-splice fast path: only those with raw_params (or a quirk), never the rest. */
class CompatRawParamsTest {
    private static final CompatAdapter OPENAI = new CompatAdapter(CompatPresets.get("openai"), false);
    private static final ProviderConfig PROVIDER = new ProviderConfig("oa", "openai", null, Secret.of("k", "inline"),
            Timeouts.NONE, Map.of(), Map.of(), null, 4, null);

    @Test
    void withoutRawParamsTheClientsBytesGoUpstreamUntouchedButForTheModel() {
        // 0.50 and the spacing would not survive a parse and re-serialisation
        String body = "{\"model\":\"fast\", \"temperature\":0.50,\"models\":[\"fast\"], \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String sent = encode(body);
        assertThat(sent).isEqualTo("{\"model\":\"gpt-4o\", \"temperature\":0.50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void withRawParamsTheBodyIsRebuiltWithTheEntryForThisType() {
        String body = "{\"model\":\"fast\",\"temperature\":0.50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"raw_params\":{\"openai\":{\"service_tier\":\"flex\"},\"gemini\":{\"safetySettings\":[]}}}";
        assertThat(encode(body)).isEqualTo("{\"model\":\"gpt-4o\",\"temperature\":0.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"service_tier\":\"flex\"}");
    }

    @Test
    void anExplicitNullRawParamsIsCutWithoutLeavingTheFastPath() {
        String body = "{\"model\":\"fast\",\"temperature\":0.50,\"raw_params\":null,\"messages\":[]}";
        assertThat(encode(body.replace("[]", "[{\"role\":\"user\",\"content\":\"hi\"}]")))
                .isEqualTo("{\"model\":\"gpt-4o\",\"temperature\":0.50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static String encode(String body) {
        InboundRequest req = RequestScanner.scan(body.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        return OPENAI.encode(req, PROVIDER, "gpt-4o", true).body().toString();
    }
}
