package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenAI {@code messages} → Anthropic {@code system} + {@code messages}. System and developer turns move to the
 * top-level {@code system}; tool results become {@code tool_result} blocks in user turns; consecutive turns of
 * the same Anthropic role merge into one, because the Messages API wants user and assistant to alternate.
 */
final class MessageEncoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @param system the top-level system prompt (a string, or text blocks when there are several or cached ones), or null */
    record Result(JsonNode system, ArrayNode messages) {}

    private MessageEncoder() {}

    static Result encode(JsonNode messages, Set<String> dropped) {
        List<ObjectNode> system = new ArrayList<>(1);
        ArrayNode out = F.arrayNode();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) throw invalid(at, "each message must be an object");
            if (m.hasNonNull("name")) dropped.add("messages[].name");
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "developer" -> system.addAll(textBlocks(m.get("content"), at + ".content"));
                case "user" -> append(out, "user", ContentEncoder.parts(m.get("content"), at + ".content", dropped));
                case "assistant" -> append(out, "assistant", assistant(m, at, dropped));
                case "tool" -> append(out, "user", List.of(toolResult(m, at, dropped)));
                case "function" -> throw invalid(at + ".role", "the legacy 'function' role is not translated for Anthropic; "
                        + "send tool messages with a tool_call_id instead");
                default -> throw invalid(at + ".role", "unknown role '" + role + "' (expected system, developer, user, assistant or tool)");
            }
        }
        for (JsonNode m : out) collapse((ObjectNode) m);
        JsonNode sys = null;
        if (system.size() == 1 && isPlainText(system.get(0))) {
            sys = system.get(0).get("text");
        } else if (!system.isEmpty()) {
            sys = F.arrayNode().addAll(system);
        }
        return new Result(sys, out);
    }

    /** Adds blocks as a turn of {@code role}, extending the previous turn when it has the same role. */
    private static void append(ArrayNode out, String role, List<ObjectNode> blocks) {
        if (blocks.isEmpty()) return; // an empty turn carries nothing, and Anthropic rejects empty content
        if (!out.isEmpty()) {
            ObjectNode last = (ObjectNode) out.get(out.size() - 1);
            if (role.equals(last.get("role").asText())) {
                ((ArrayNode) last.get("content")).addAll(blocks);
                return;
            }
        }
        ObjectNode turn = out.addObject();
        turn.put("role", role);
        turn.putArray("content").addAll(blocks);
    }

    /** A turn that is a single plain text block is sent in the short string form. */
    private static void collapse(ObjectNode turn) {
        JsonNode content = turn.get("content");
        if (content.size() == 1 && isPlainText(content.get(0))) turn.set("content", content.get(0).get("text"));
    }

    private static boolean isPlainText(JsonNode block) {
        return block.size() == 2 && "text".equals(block.path("type").asText());
    }

    /** System and developer content: text only. */
    private static List<ObjectNode> textBlocks(JsonNode content, String at) {
        List<ObjectNode> out = new ArrayList<>(1);
        if (content == null || content.isNull()) return out;
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) out.add(ContentEncoder.text(content.asText()));
            return out;
        }
        if (!content.isArray()) throw invalid(at, "content must be a string or an array of content parts");
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            if (!"text".equals(part.path("type").asText())) {
                throw invalid(at + "[" + j + "].type", "system and developer messages may only hold text parts");
            }
            ObjectNode block = ContentEncoder.textPart(part, at + "[" + j + "]");
            if (block != null) out.add(block);
        }
        return out;
    }

    private static List<ObjectNode> assistant(JsonNode m, String at, Set<String> dropped) {
        List<ObjectNode> blocks = new ArrayList<>(2);
        JsonNode thinking = m.get("thinking_blocks");
        if (thinking != null && thinking.isArray() && !thinking.isEmpty()) {
            // Signed thinking from an earlier answer (see AnthropicResponseDecoder): Anthropic needs it back
            // unchanged, first in the turn, to continue a tool-use turn with thinking on.
            for (int j = 0; j < thinking.size(); j++) {
                JsonNode b = thinking.get(j);
                String type = b.path("type").asText();
                if (!type.equals("thinking") && !type.equals("redacted_thinking")) {
                    throw invalid(at + ".thinking_blocks[" + j + "].type", "expected 'thinking' or 'redacted_thinking'");
                }
                blocks.add((ObjectNode) b.deepCopy());
            }
        } else if (m.hasNonNull("reasoning_content") && !m.get("reasoning_content").asText().isEmpty()) {
            dropped.add("messages[].reasoning_content"); // unsigned reasoning cannot be replayed to Anthropic
        }
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) blocks.add(ContentEncoder.text(content.asText()));
        } else if (content != null && content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String type = part.path("type").asText();
                String pat = at + ".content[" + j + "]";
                if (type.equals("text")) {
                    ObjectNode b = ContentEncoder.textPart(part, pat);
                    if (b != null) blocks.add(b);
                } else if (type.equals("refusal")) {
                    String r = part.path("refusal").asText("");
                    if (!r.isEmpty()) blocks.add(ContentEncoder.text(r));
                } else {
                    throw invalid(pat + ".type", "assistant messages may hold text and refusal parts only");
                }
            }
        } else if (content != null && !content.isNull()) {
            throw invalid(at + ".content", "content must be a string or an array of content parts");
        }
        if (m.hasNonNull("refusal") && (content == null || content.isNull()) && !m.get("refusal").asText().isEmpty()) {
            blocks.add(ContentEncoder.text(m.get("refusal").asText()));
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int j = 0; j < calls.size(); j++) blocks.add(toolUse(calls.get(j), at + ".tool_calls[" + j + "]"));
        }
        if (m.hasNonNull("function_call")) {
            throw invalid(at + ".function_call", "the legacy function_call is not translated for Anthropic; use tool_calls");
        }
        if (m.hasNonNull("audio")) dropped.add("messages[].audio");
        return blocks;
    }

    private static ObjectNode toolUse(JsonNode call, String at) {
        if (!"function".equals(call.path("type").asText("function"))) {
            throw invalid(at + ".type", "only function tool calls can be sent to Anthropic");
        }
        String id = call.path("id").asText("");
        if (id.isEmpty()) throw invalid(at + ".id", "a tool call needs its id");
        JsonNode fn = call.path("function");
        String name = fn.path("name").asText("");
        if (name.isEmpty()) throw invalid(at + ".function.name", "a tool call needs its function name");
        JsonNode args = fn.get("arguments");
        JsonNode input;
        if (args == null || args.isNull() || (args.isTextual() && args.asText().isBlank())) {
            input = F.objectNode();
        } else if (args.isObject()) {
            input = args.deepCopy();
        } else {
            try {
                input = MAPPER.readTree(args.asText());
            } catch (IOException e) {
                throw invalid(at + ".function.arguments", "the arguments are not valid JSON");
            }
            if (input == null || !input.isObject()) throw invalid(at + ".function.arguments", "the arguments must be a JSON object");
        }
        ObjectNode block = F.objectNode();
        block.put("type", "tool_use");
        block.put("id", id);
        block.put("name", name);
        block.set("input", input);
        return block;
    }

    private static ObjectNode toolResult(JsonNode m, String at, Set<String> dropped) {
        String id = m.path("tool_call_id").asText("");
        if (id.isEmpty()) throw invalid(at + ".tool_call_id", "a tool message needs the tool_call_id it answers");
        ObjectNode block = F.objectNode();
        block.put("type", "tool_result");
        block.put("tool_use_id", id);
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) block.set("content", content);
        } else if (content != null && content.isArray()) {
            block.putArray("content").addAll(ContentEncoder.parts(content, at + ".content", dropped));
        } else if (content != null && !content.isNull()) {
            throw invalid(at + ".content", "content must be a string or an array of content parts");
        }
        return block;
    }

    static ApiException invalid(String param, String message) {
        return ApiError.invalidField(param, "Cannot translate '" + param + "' for Anthropic: " + message + ".").exception();
    }
}
