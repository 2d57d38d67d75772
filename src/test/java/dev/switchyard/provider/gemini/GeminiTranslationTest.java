package dev.switchyard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.RawParams;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge cases of the Gemini translation that the golden fixtures do not reach. */
class GeminiTranslationTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return M.readTree(s);
    }

    private static String rejectedPath(String schema) {
        try {
            GeminiSchemaConverter.convert(json(schema), "s");
        } catch (ApiException e) {
            assertThat(e.error().status()).isEqualTo(400);
            return e.error().param();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("schema was accepted: " + schema);
    }

    @Test
    void schemaConstructsWithoutAnEquivalentAreRejectedAtTheirPath() {
        assertThat(rejectedPath("{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}")).isEqualTo("s.items");
        assertThat(rejectedPath("{\"type\":\"integer\",\"enum\":[1,2]}")).isEqualTo("s.enum");
        assertThat(rejectedPath("{\"type\":\"object\",\"properties\":{\"a\":{\"if\":{}}}}")).isEqualTo("s.properties.a.if");
        assertThat(rejectedPath("{\"$ref\":\"https://example.com/s.json\"}")).isEqualTo("s.$ref");
        assertThat(rejectedPath("{\"allOf\":[{\"type\":\"string\"},{\"minLength\":2}]}")).isEqualTo("s.allOf");
        assertThat(rejectedPath("{\"type\":\"number\",\"exclusiveMinimum\":0}")).isEqualTo("s.exclusiveMinimum");
        assertThat(rejectedPath("{\"type\":\"date\"}")).isEqualTo("s.type");
    }

    @Test
    void schemaConstructsWithAnEquivalentAreRewritten() throws Exception {
        assertThat(GeminiSchemaConverter.convert(json("{\"type\":[\"string\",\"integer\",\"null\"]}"), "s"))
                .isEqualTo(json("{\"nullable\":true,\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"INTEGER\"}]}"));
        assertThat(GeminiSchemaConverter.convert(json("{\"allOf\":[{\"type\":\"string\"}],\"description\":\"d\"}"), "s"))
                .isEqualTo(json("{\"type\":\"STRING\",\"description\":\"d\"}"));
        assertThat(GeminiSchemaConverter.convert(json("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}"), "s"))
                .isEqualTo(json("{\"anyOf\":[{\"type\":\"STRING\"},{\"type\":\"NUMBER\"}]}"));
        assertThat(GeminiSchemaConverter.convert(json("{\"type\":\"string\",\"format\":\"uri\",\"examples\":[\"x\"]}"), "s"))
                .isEqualTo(json("{\"type\":\"STRING\"}"));
        // a $ref with a sibling description keeps the description
        assertThat(GeminiSchemaConverter.convert(json("{\"$defs\":{\"A\":{\"type\":\"string\"}},\"type\":\"object\","
                + "\"properties\":{\"a\":{\"$ref\":\"#/$defs/A\",\"description\":\"the a\"}}}"), "s").get("properties"))
                .isEqualTo(json("{\"a\":{\"type\":\"STRING\",\"description\":\"the a\"}}"));
    }

    @Test
    void rawParamsFormsAreUnambiguous() throws Exception {
        assertThat(RawParams.select(json("{\"gemini\":{\"a\":1},\"anthropic\":{\"b\":2}}"), "gemini")).isEqualTo(json("{\"a\":1}"));
        assertThat(RawParams.select(json("{\"anthropic\":{\"b\":2}}"), "gemini")).isNull();
        assertThat(RawParams.select(json("{\"safetySettings\":[]}"), "gemini")).isEqualTo(json("{\"safetySettings\":[]}"));
        assertThatThrownBy(() -> RawParams.select(json("{\"gemini\":{},\"safetySettings\":[]}"), "gemini"))
                .isInstanceOf(ApiException.class).hasMessageContaining("mixes");
        assertThatThrownBy(() -> RawParams.select(json("{\"gemini\":5}"), "gemini"))
                .isInstanceOf(ApiException.class).hasMessageContaining("raw_params.gemini");

        ObjectNode body = (ObjectNode) json("{\"generationConfig\":{\"temperature\":1,\"stopSequences\":[\"a\"]},\"x\":1}");
        RawParams.merge(body, (ObjectNode) json("{\"generationConfig\":{\"topK\":3,\"stopSequences\":[\"b\"]},\"x\":{\"y\":2}}"));
        assertThat(body).isEqualTo(json("{\"generationConfig\":{\"temperature\":1,\"stopSequences\":[\"b\"],\"topK\":3},\"x\":{\"y\":2}}"));
    }

    private static InboundRequest request(String body) {
        return RequestScanner.scan(body.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
    }

    @Test
    void malformedFunctionCallIsAFailedAttemptNotAnAnswer() {
        String reply = "{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}]}";
        InboundRequest req = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThatThrownBy(() -> new GeminiAdapter().decode(Buffer.buffer(reply), req)).isInstanceOf(ApiException.class)
                .hasMessageContaining("MALFORMED_FUNCTION_CALL");

        List<UpstreamFailure> errors = new ArrayList<>();
        new GeminiAdapter().newStreamTranslator(req, false).onEvent(new SseEvent(null, Buffer.buffer(reply), Buffer.buffer()), new StreamSink() {
            @Override
            public void chunk(Buffer sse, boolean content) {
                throw new AssertionError("no chunk expected");
            }

            @Override
            public void usage(Usage usage) {}

            @Override
            public void error(UpstreamFailure failure) {
                errors.add(failure);
            }

            @Override
            public void done(String finishReason) {
                throw new AssertionError("not done");
            }
        });
        assertThat(errors).singleElement().extracting(UpstreamFailure::kind).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void resourceNamesAreNotPrefixedTwice() {
        ProviderConfig p = new ProviderConfig("g", "gemini", "http://127.0.0.1:1/v1beta", Secret.of("k", "inline"), Timeouts.NONE,
                Map.of(), Map.of(), null, 4, null);
        InboundRequest req = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(new GeminiAdapter().encode(req, p, "tunedModels/my-tune", true).absoluteUrl())
                .isEqualTo("http://127.0.0.1:1/v1beta/tunedModels/my-tune:generateContent");
    }

    @Test
    void protobufDurationsParse() {
        assertThat(GeminiWire.duration("34.4s")).isEqualTo(Duration.ofMillis(34400));
        assertThat(GeminiWire.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(GeminiWire.duration("soon")).isNull();
    }
}
