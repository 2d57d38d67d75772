package dev.switchyard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Assertions that an error is exactly OpenAI's shape and leaks nothing of the gateway's insides. */
public final class OpenAiErrors {
    private OpenAiErrors() {}

    /**
     * Checks status, JSON content type and shape: the body is {@code {"error":{…}}} with exactly the
     * members {@code message, type, param, code} — message and type non-empty strings, param and code a
     * string or null — and carries no stack trace or class names.
     *
     * @return the {@code error} object
     */
    public static JsonNode assertError(RawClient.Response r, int status) {
        assertThat(r.status()).as("status of %s", r.text()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        return assertErrorBody(r.text(), r.json());
    }

    /** The same checks on a body alone (e.g. the data of an SSE error event). */
    public static JsonNode assertErrorBody(String text, JsonNode body) {
        assertThat(names(body)).as("top-level members of %s", text).containsExactly("error");
        JsonNode e = body.get("error");
        assertThat(names(e)).as("members of error in %s", text).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(e.get("message").isTextual() && !e.get("message").asText().isBlank()).as("message in %s", text).isTrue();
        assertThat(e.get("type").isTextual() && !e.get("type").asText().isBlank()).as("type in %s", text).isTrue();
        assertThat(e.get("param").isTextual() || e.get("param").isNull()).as("param in %s", text).isTrue();
        assertThat(e.get("code").isTextual() || e.get("code").isNull()).as("code in %s", text).isTrue();
        assertThat(text).as("no stack trace or class names").doesNotContain("Exception", "\tat ", "dev.switchyard.", "io.vertx.", "java.");
        return e;
    }

    private static List<String> names(JsonNode n) {
        assertThat(n.isObject()).as("%s is an object", n).isTrue();
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
