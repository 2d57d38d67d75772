package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;

/**
 * How {@code response_format} is honoured on Anthropic: one extra tool whose {@code input_schema} is the
 * requested schema, with {@code tool_choice} forcing a call to it. Anthropic validates tool input against
 * the schema, so the call's {@code input} is the structured answer; the decoder and the stream translator
 * return it as the message {@code content} (a JSON string), not as a tool call, and report
 * {@code finish_reason: stop}.
 *
 * <p>Tool input must be a JSON object. A schema whose root is not an object (an array, a string…) is wrapped
 * as the single required property {@value #WRAP_FIELD} and unwrapped on the way back; {@code $defs} move to the
 * wrapper's root so {@code #/$defs/…} references still resolve.
 *
 * @param toolName    the output tool's name: the json_schema's name, or {@value #JSON_OBJECT_TOOL}
 * @param description what the model reads about the tool
 * @param inputSchema the tool's input_schema
 * @param wrapped     the answer sits in {@value #WRAP_FIELD} of the tool input
 */
record StructuredOutput(String toolName, String description, ObjectNode inputSchema, boolean wrapped) {
    static final String WRAP_FIELD = "value";
    static final String JSON_OBJECT_TOOL = "json_output";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The request's structured-output contract, or null when it asks for plain text. */
    static StructuredOutput of(JsonNode request) {
        JsonNode rf = request.get("response_format");
        if (rf == null || rf.isNull()) return null;
        String type = rf.path("type").asText("");
        switch (type) {
            case "text" -> {
                return null;
            }
            case "json_object" -> {
                ObjectNode schema = F.objectNode().put("type", "object");
                return new StructuredOutput(JSON_OBJECT_TOOL,
                        "Give your final answer by calling this tool: its input is the answer, as one JSON object.", schema, false);
            }
            case "json_schema" -> {
                JsonNode js = rf.path("json_schema");
                String name = toolName(js.path("name").asText(JSON_OBJECT_TOOL));
                String description = "Give your final answer by calling this tool: its input is the answer."
                        + (js.hasNonNull("description") ? " The answer is: " + js.get("description").asText() : "");
                JsonNode schema = js.get("schema");
                if (schema == null || schema.isNull()) schema = F.objectNode().put("type", "object");
                if (!schema.isObject()) {
                    throw ApiError.invalidField("response_format.json_schema.schema", "'response_format.json_schema.schema' must be a JSON Schema object.").exception();
                }
                if (isObjectSchema(schema)) return new StructuredOutput(name, description, (ObjectNode) schema.deepCopy(), false);
                return new StructuredOutput(name, description, wrap((ObjectNode) schema), true);
            }
            default -> throw ApiError.invalidField("response_format.type",
                    "Unknown response_format type '" + type + "' (expected text, json_object or json_schema).").exception();
        }
    }

    /** Anthropic tool names match {@code ^[a-zA-Z0-9_-]{1,64}$}; OpenAI schema names use the same alphabet. */
    private static String toolName(String name) {
        StringBuilder b = new StringBuilder(Math.min(64, name.length()));
        for (int i = 0; i < name.length() && b.length() < 64; i++) {
            char c = name.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' ? c : '_');
        }
        return b.isEmpty() ? JSON_OBJECT_TOOL : b.toString();
    }

    private static boolean isObjectSchema(JsonNode schema) {
        JsonNode t = schema.get("type");
        if (t == null) return schema.has("properties") && !schema.has("anyOf") && !schema.has("oneOf");
        return t.isTextual() && t.asText().equals("object");
    }

    private static ObjectNode wrap(ObjectNode schema) {
        ObjectNode inner = schema.deepCopy();
        ObjectNode wrapper = F.objectNode();
        wrapper.put("type", "object");
        for (String defs : new String[] {"$defs", "definitions"}) {
            JsonNode d = inner.remove(defs);
            if (d != null) wrapper.set(defs, d);
        }
        wrapper.putObject("properties").set(WRAP_FIELD, inner);
        wrapper.putArray("required").add(WRAP_FIELD);
        wrapper.put("additionalProperties", false);
        return wrapper;
    }

    /** The answer as the client asked for it, from the output tool's input. */
    JsonNode answer(JsonNode toolInput) {
        return wrapped ? toolInput.path(WRAP_FIELD) : toolInput;
    }

    ObjectNode toolDefinition() {
        ObjectNode t = F.objectNode();
        t.put("name", toolName);
        t.put("description", description);
        t.set("input_schema", inputSchema);
        return t;
    }
}
