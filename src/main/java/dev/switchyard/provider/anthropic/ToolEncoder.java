package dev.switchyard.provider.anthropic;

import static dev.switchyard.provider.anthropic.MessageEncoder.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code tools}, {@code tool_choice}, {@code parallel_tool_calls} and the structured-output tool.
 *
 * <p>With {@code response_format} the output tool joins the client's tools. If the client declared no tools
 * (or said {@code tool_choice: none}) the output tool is forced ({@code {type: tool}}); otherwise
 * {@code {type: any}} lets the model either call one of the client's tools or give its final structured
 * answer — exactly the choice an OpenAI model has — and a named {@code tool_choice} stays as the client set it.
 */
final class ToolEncoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ToolEncoder() {}

    /**
     * Sets {@code tools} and {@code tool_choice} on {@code out}.
     *
     * @return true when the resulting tool_choice forces a tool call, which Anthropic does not allow together
     *         with extended thinking
     */
    static boolean encode(JsonNode in, ObjectNode out, StructuredOutput structured) {
        ArrayNode tools = F.arrayNode();
        Set<String> names = new HashSet<>();
        JsonNode declared = in.get("tools");
        if (declared != null && declared.isArray()) {
            for (int i = 0; i < declared.size(); i++) {
                ObjectNode t = tool(declared.get(i), "tools[" + i + "]");
                names.add(t.get("name").asText());
                tools.add(t);
            }
        }
        ObjectNode choice = names.isEmpty() ? null : choice(in.get("tool_choice"), names);
        if (structured != null) {
            if (names.contains(structured.toolName())) {
                throw invalid("response_format.json_schema.name", "the schema name '" + structured.toolName()
                        + "' is also the name of one of the request's tools; rename one of them");
            }
            tools.add(structured.toolDefinition());
            String clientType = choice != null ? choice.get("type").asText() : names.isEmpty() ? "none" : "auto";
            if (clientType.equals("none")) {
                choice = F.objectNode().put("type", "tool").put("name", structured.toolName());
            } else if (!clientType.equals("tool")) {
                choice = F.objectNode().put("type", "any");
            }
        }
        if (tools.isEmpty()) return false;
        JsonNode parallel = in.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            if (choice == null) choice = F.objectNode().put("type", "auto");
            if (!choice.get("type").asText().equals("none")) choice.put("disable_parallel_tool_use", true);
        }
        out.set("tools", tools);
        if (choice != null) out.set("tool_choice", choice);
        String type = choice == null ? "auto" : choice.get("type").asText();
        return type.equals("any") || type.equals("tool");
    }

    private static ObjectNode tool(JsonNode t, String at) {
        String type = t.path("type").asText("function");
        if (!type.equals("function")) throw invalid(at + ".type", "only function tools can be sent to Anthropic (got '" + type + "')");
        JsonNode fn = t.path("function");
        String name = fn.path("name").asText("");
        if (name.isEmpty()) throw invalid(at + ".function.name", "a tool needs a name");
        ObjectNode out = F.objectNode();
        out.put("name", name);
        if (fn.hasNonNull("description")) out.put("description", fn.get("description").asText());
        JsonNode params = fn.get("parameters");
        ObjectNode schema;
        if (params == null || params.isNull()) {
            schema = F.objectNode().put("type", "object");
            schema.putObject("properties");
        } else if (params.isObject()) {
            schema = params.deepCopy();
            JsonNode st = schema.get("type");
            if (st == null) schema.put("type", "object");
            else if (!st.asText().equals("object")) throw invalid(at + ".function.parameters", "a tool's parameters must be an object schema");
        } else {
            throw invalid(at + ".function.parameters", "parameters must be a JSON Schema object");
        }
        out.set("input_schema", schema);
        if (fn.path("strict").asBoolean(false)) out.put("strict", true);
        if (t.path("cache_control").isObject()) out.set("cache_control", t.get("cache_control").deepCopy());
        return out;
    }

    private static ObjectNode choice(JsonNode c, Set<String> names) {
        if (c == null || c.isNull()) return null;
        if (c.isTextual()) {
            return switch (c.asText()) {
                case "auto" -> F.objectNode().put("type", "auto");
                case "none" -> F.objectNode().put("type", "none");
                case "required" -> F.objectNode().put("type", "any");
                default -> throw invalid("tool_choice", "unknown tool_choice '" + c.asText() + "' (expected auto, none or required)");
            };
        }
        String type = c.path("type").asText("");
        if (!type.equals("function")) {
            throw invalid("tool_choice.type", "tool_choice type '" + type + "' cannot be expressed for Anthropic (use auto, none, required or a named function)");
        }
        String name = c.path("function").path("name").asText("");
        if (!names.contains(name)) throw invalid("tool_choice.function.name", "'" + name + "' is not one of the request's tools");
        return F.objectNode().put("type", "tool").put("name", name);
    }
}
