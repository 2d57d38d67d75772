package dev.switchyard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchyard.model.ApiError;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Span;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestScannerTest {
    private static final String MSG = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    static InboundRequest chat(String json) {
        return RequestScanner.scan(json.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
    }

    static ApiError rejected(String json, Operation op) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> RequestScanner.scan(json.getBytes(StandardCharsets.UTF_8), op));
        assertThat(e).as("expected %s to be rejected", json).isNotNull();
        return e.error();
    }

    static String at(InboundRequest r, Span s) {
        return new String(r.body(), s.start(), s.length(), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheBasics() {
        InboundRequest r = chat("{\"model\":\"fast\"," + MSG + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(r.op()).isEqualTo(Operation.CHAT);
        assertThat(r.model()).isEqualTo("fast");
        assertThat(at(r, r.modelValue())).isEqualTo("\"fast\"");
        assertThat(r.stream()).isTrue();
        assertThat(r.clientWantsUsage()).isTrue();
        assertThat(at(r, r.streamOptions())).isEqualTo("{\"include_usage\":true}");
        assertThat(r.gatewayFields()).isEmpty();
        assertThat(r.modelsOverride()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "temperature|\"hot\"|a number",
            "top_p|true|a number",
            "max_tokens|1.5|an integer",
            "n|\"2\"|an integer",
            "seed|{}|an integer",
            "stream|\"yes\"|a boolean",
            "logprobs|1|a boolean",
            "stream_options|true|an object",
            "tools|{}|an array",
            "tool_choice|[]|a string or an object",
            "response_format|\"json\"|an object",
            "stop|1|a string or an array",
            "user|42|a string",
            "model|[\"a\"]|a string",
            "messages|\"hi\"|an array",
            "models|\"a\"|an array",
    })
    void typeErrorsNameTheField(String field, String value, String expected) {
        String body = field.equals("messages") ? "{\"model\":\"m\",\"messages\":" + value + "}"
                : field.equals("model") ? "{\"model\":" + value + "," + MSG + "}"
                : "{\"model\":\"m\"," + MSG + ",\"" + field + "\":" + value + "}";
        ApiError e = rejected(body, Operation.CHAT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.message()).isEqualTo("Invalid type for '" + field + "': expected " + expected + ".");
    }

    @Test
    void nestedTypeErrorsNameTheNestedField() {
        ApiError e = rejected("{\"model\":\"m\"," + MSG + ",\"stream_options\":{\"include_usage\":\"yes\"}}", Operation.CHAT);
        assertThat(e.param()).isEqualTo("stream_options.include_usage");
        ApiError m = rejected("{\"model\":\"m\"," + MSG + ",\"models\":[\"a\",1]}", Operation.CHAT);
        assertThat(m.param()).isEqualTo("models");
        assertThat(m.message()).isEqualTo("'models' must be an array of model names.");
    }

    @Test
    void nullsPassForOptionalFields() {
        InboundRequest r = chat("{\"model\":\"m\"," + MSG + ",\"temperature\":null,\"stream\":null,\"stream_options\":null,\"tools\":null}");
        assertThat(r.stream()).isFalse();
        assertThat(r.clientWantsUsage()).isFalse();
    }

    @Test
    void unknownFieldsPassUnchecked() {
        InboundRequest r = chat("{\"model\":\"m\"," + MSG + ",\"top_k\":\"anything\",\"x\":{\"temperature\":\"hot\"}}");
        assertThat(r.model()).isEqualTo("m");
    }

    @Test
    void missingOrEmptyRequiredFields() {
        ApiError noModel = rejected("{" + MSG + "}", Operation.CHAT);
        assertThat(noModel.param()).isEqualTo("model");
        assertThat(noModel.message()).isEqualTo("You must provide a model parameter: a model name from GET /v1/models.");
        assertThat(rejected("{\"model\":\"\"," + MSG + "}", Operation.CHAT).param()).isEqualTo("model");
        assertThat(rejected("{\"model\":null," + MSG + "}", Operation.CHAT).param()).isEqualTo("model");
        ApiError noMessages = rejected("{\"model\":\"m\"}", Operation.CHAT);
        assertThat(noMessages.param()).isEqualTo("messages");
        assertThat(noMessages.message()).isEqualTo("Missing required parameter: 'messages' (an array of chat messages).");
        ApiError empty = rejected("{\"model\":\"m\",\"messages\":[]}", Operation.CHAT);
        assertThat(empty.param()).isEqualTo("messages");
        assertThat(empty.message()).isEqualTo("'messages' must contain at least one message.");
        ApiError noInput = rejected("{\"model\":\"e\"}", Operation.EMBEDDINGS);
        assertThat(noInput.param()).isEqualTo("input");
        assertThat(rejected("{\"model\":\"e\",\"input\":5}", Operation.EMBEDDINGS).param()).isEqualTo("input");
    }

    @Test
    void embeddings() {
        InboundRequest r = RequestScanner.scan("{\"input\":[\"a\",\"b\"],\"model\":\"e\",\"dimensions\":8}".getBytes(StandardCharsets.UTF_8),
                Operation.EMBEDDINGS);
        assertThat(r.model()).isEqualTo("e");
        assertThat(r.op()).isEqualTo(Operation.EMBEDDINGS);
    }

    @Test
    void malformedJson() {
        assertThat(rejected("[1,2]", Operation.CHAT).message()).isEqualTo("The request body must be a JSON object.");
        assertThat(rejected("", Operation.CHAT).message()).isEqualTo("The request body must be a JSON object.");
        ApiError trailing = rejected("{\"model\":\"m\"," + MSG + "} {}", Operation.CHAT);
        assertThat(trailing.message()).isEqualTo("The request body is not valid JSON: unexpected content after the object.");
        ApiError broken = rejected("{\"model\":\"m\",\n" + MSG + ",}", Operation.CHAT);
        assertThat(broken.message()).startsWith("The request body is not valid JSON: ").contains("(line 2, column");
        assertThat(broken.param()).isNull();
        assertThat(rejected("{\"model\":\"m\"," + MSG, Operation.CHAT).message()).startsWith("The request body is not valid JSON");
    }

    @Test
    void modelSpanWithOddWhitespaceUnicodeAndEscapes() {
        String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"héllo ✓ 😀\"} ] ,\n\t\"model\"\n:\t\"gpt-\\u00e9\\\"q\\\\😀\" \r\n}";
        InboundRequest r = chat(body);
        assertThat(r.model()).isEqualTo("gpt-é\"q\\😀");
        assertThat(at(r, r.modelValue())).isEqualTo("\"gpt-\\u00e9\\\"q\\\\😀\"");
    }

    @Test
    void streamOptionsSpanAndUsageFlag() {
        InboundRequest r = chat("{\"model\":\"m\"," + MSG + ",\"stream\":true,\"stream_options\" : { \"include_usage\" : false , \"x\" : [1,{\"y\":2}] } }");
        assertThat(r.clientWantsUsage()).isFalse();
        assertThat(at(r, r.streamOptions())).isEqualTo("{ \"include_usage\" : false , \"x\" : [1,{\"y\":2}] }");
    }

    @Test
    void modelsOverrideIsReadAndItsMemberSpanTakesOneComma() {
        InboundRequest first = chat("{\"models\":[\"a\",\"b\"], \"model\":\"m\"," + MSG + "}");
        assertThat(first.modelsOverride()).containsExactly("a", "b");
        assertThat(first.gatewayFields()).hasSize(1);
        assertThat(at(first, first.gatewayFields().get(0))).isEqualTo("\"models\":[\"a\",\"b\"], ");
        InboundRequest last = chat("{\"model\":\"m\"," + MSG + " ,\n \"models\" : [ \"a\" ]\n}");
        assertThat(at(last, last.gatewayFields().get(0))).isEqualTo(",\n \"models\" : [ \"a\" ]");
        InboundRequest nul = chat("{\"model\":\"m\"," + MSG + ",\"models\":null}");
        assertThat(nul.modelsOverride()).isEmpty();
        assertThat(at(nul, nul.gatewayFields().get(0))).isEqualTo(",\"models\":null");
    }

    @Test
    void deepNestingIsRefusedNotACrash() {
        String deep = "{\"model\":\"m\"," + MSG + ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(rejected(deep, Operation.CHAT).status()).isEqualTo(400);
    }
}
