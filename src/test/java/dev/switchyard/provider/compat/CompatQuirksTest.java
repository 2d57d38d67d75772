package dev.switchyard.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.web.RequestScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Provider deviations applied by {@link CompatAdapter#encode}, seen from the upstream body and headers. */
class CompatQuirksTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static ProviderConfig provider(String type) {
        return new ProviderConfig(type, type, null, Secret.of("k-" + type, "inline"), Timeouts.NONE, Map.of(), Map.of(), null, 4, null);
    }

    private static UpstreamRequest encode(String type, String json) {
        InboundRequest req = RequestScanner.scan(json.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        return new CompatAdapter(CompatPresets.get(type), false).encode(req, provider(type), "up-model", true);
    }

    private static JsonNode body(UpstreamRequest r) throws Exception {
        return M.readTree(r.body().getBytes());
    }

    private static final String TOOL_CONVERSATION = """
            {"model":"m","messages":[
              {"role":"user","content":"weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_Xk2v9QpL0aBcDeFgHiJ","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                {"id":"toolu_01A09q90qw90lq917835lq9","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}},
                {"id":"abc123XYZ","type":"function","function":{"name":"weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"toolu_01A09q90qw90lq917835lq9","content":"21C"},
              {"role":"tool","tool_call_id":"call_Xk2v9QpL0aBcDeFgHiJ","content":"18C"},
              {"role":"tool","tool_call_id":"abc123XYZ","content":"?"}
            ],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]}
            """;

    @Test
    void mistralRenamesSeed() throws Exception {
        UpstreamRequest r = encode("mistral", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":42,\"temperature\":0}");
        JsonNode b = body(r);
        assertThat(b.has("seed")).isFalse();
        assertThat(b.get("random_seed").asInt()).isEqualTo(42);
        assertThat(b.get("model").asText()).isEqualTo("up-model");
        assertThat(b.get("temperature").asInt()).isZero();
        assertThat(r.absoluteUrl()).isEqualTo("https://api.mistral.ai/v1/chat/completions");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer k-mistral");
        // a rename is not a drop
        assertThat(r.headers().get(CompatAdapter.DROPPED_HEADER)).isNull();
    }

    @Test
    void mistralToolCallIdsAreRemappedConsistently() throws Exception {
        JsonNode b = body(encode("mistral", TOOL_CONVERSATION));
        JsonNode calls = b.at("/messages/1/tool_calls");
        List<String> ids = new ArrayList<>();
        calls.forEach(c -> ids.add(c.get("id").asText()));
        assertThat(ids).allMatch(id -> id.matches("[a-zA-Z0-9]{9}"));
        assertThat(new HashSet<>(ids)).hasSize(3);
        // each result still points at its own call
        assertThat(b.at("/messages/2/tool_call_id").asText()).isEqualTo(ids.get(1));
        assertThat(b.at("/messages/3/tool_call_id").asText()).isEqualTo(ids.get(0));
        // an id that already fits is kept
        assertThat(ids.get(2)).isEqualTo("abc123XYZ");
        assertThat(b.at("/messages/4/tool_call_id").asText()).isEqualTo("abc123XYZ");
        // everything else is untouched
        assertThat(b.at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(b.get("tools")).isEqualTo(M.readTree(TOOL_CONVERSATION).get("tools"));
    }

    @Test
    void mistralIdMappingIsStableAcrossTurns() throws Exception {
        // the conversation is sent again on every turn: the same id must map to the same short id each time
        JsonNode a = body(encode("mistral", TOOL_CONVERSATION));
        JsonNode b = body(encode("mistral", TOOL_CONVERSATION));
        assertThat(a).isEqualTo(b);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String id = CompatQuirks.shortId("call_" + i);
            assertThat(id).matches("[a-zA-Z0-9]{9}");
            seen.add(id);
        }
        assertThat(seen).as("distinct ids stay distinct").hasSize(5000);
    }

    @Test
    void mistralStreamsAreNotAskedForUsage() throws Exception {
        // Mistral reports usage on its last chunk anyway
        JsonNode b = body(encode("mistral", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":1}"));
        assertThat(b.has("stream_options")).isFalse();
        JsonNode plain = body(encode("mistral", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(plain.has("stream_options")).isFalse();
    }

    @Test
    void requestsWithoutTriggersAreSplicedByteForByte() {
        String json = "{\"model\":\"m\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"temperature\":0.70}";
        for (String type : List.of("mistral", "groq", "deepseek")) {
            UpstreamRequest r = encode(type, json);
            assertThat(r.body().toString()).as(type).isEqualTo(json.replace("\"m\"", "\"up-model\""));
            assertThat(r.headers().get(CompatAdapter.DROPPED_HEADER)).isNull();
        }
    }

    @Test
    void deepseekStripsAssistantReasoningContent() throws Exception {
        String json = """
                {"model":"m","messages":[
                  {"role":"user","content":"2+2?"},
                  {"role":"assistant","content":"4","reasoning_content":"two plus two is four"},
                  {"role":"user","content":"and 3+3?","reasoning_content":"not an assistant's"}
                ]}""";
        UpstreamRequest r = encode("deepseek", json);
        JsonNode b = body(r);
        assertThat(b.at("/messages/1").has("reasoning_content")).isFalse();
        assertThat(b.at("/messages/1/content").asText()).isEqualTo("4");
        assertThat(b.at("/messages/2/reasoning_content").asText()).isEqualTo("not an assistant's");
        assertThat(b.get("model").asText()).isEqualTo("up-model");
        assertThat(r.absoluteUrl()).isEqualTo("https://api.deepseek.com/v1/chat/completions");
    }

    @Test
    void groqDropsUnsupportedParametersAndNamesThem() throws Exception {
        String json = """
                {"model":"m","messages":[{"role":"user","name":"ann","content":"hi"},{"role":"user","content":"?"}],
                 "logit_bias":{"50256":-100},"top_logprobs":3,"logprobs":true,"temperature":0.5,"models":["x"]}""";
        UpstreamRequest r = encode("groq", json);
        JsonNode b = body(r);
        assertThat(b.has("logprobs")).isFalse();
        assertThat(b.has("top_logprobs")).isFalse();
        assertThat(b.has("logit_bias")).isFalse();
        assertThat(b.has("models")).as("gateway-only field").isFalse();
        assertThat(b.at("/messages/0").has("name")).isFalse();
        assertThat(b.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(r.headers().get(CompatAdapter.DROPPED_HEADER)).isEqualTo("logprobs,top_logprobs,logit_bias,messages[].name");
    }

    @Test
    void groqStreamsAreAskedForUsageWhateverTheClientSent() throws Exception {
        String base = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":true";
        assertThat(body(encode("groq", base + "}")).get("stream_options")).isEqualTo(M.readTree("{\"include_usage\":true}"));
        assertThat(body(encode("groq", base + ",\"stream_options\":{\"include_usage\":false}}")).get("stream_options"))
                .isEqualTo(M.readTree("{\"include_usage\":true}"));
        assertThat(body(encode("groq", base + ",\"stream_options\":{\"x\":1}}")).get("stream_options"))
                .isEqualTo(M.readTree("{\"x\":1,\"include_usage\":true}"));
        assertThat(body(encode("groq", base + ",\"stream_options\":null}")).get("stream_options"))
                .isEqualTo(M.readTree("{\"include_usage\":true}"));
    }

    @Test
    void extraProviderHeadersAreSent() {
        ProviderConfig p = new ProviderConfig("o", "openai", "http://127.0.0.1:9/v1", null, Timeouts.NONE,
                Map.of("OpenAI-Organization", "org-1"), Map.of(), null, 4, null);
        InboundRequest req = RequestScanner.scan("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        UpstreamRequest r = new CompatAdapter(CompatPresets.get("openai"), false).encode(req, p, "gpt", true);
        assertThat(r.absoluteUrl()).isEqualTo("http://127.0.0.1:9/v1/chat/completions");
        assertThat(r.headers().get("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(r.headers().get("authorization")).as("no key configured, none sent").isNull();
    }
}
