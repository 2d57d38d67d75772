package dev.switchyard.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Canned OpenAI wire bodies, shaped like the real API's (compact JSON, field order, {@code "usage":null}
 * on chunks when usage was asked for), built with Jackson so escaping is never hand-rolled.
 */
public final class OpenAiBodies {
    private static final ObjectMapper M = new ObjectMapper();
    /** Every canned answer claims this many prompt tokens. */
    public static final int PROMPT_TOKENS = 7;

    /** One function call the model makes. */
    public record ToolCall(String id, String name, String arguments) {}

    private OpenAiBodies() {}

    /** A complete chat completion; completion tokens = characters / 4, at least 1. */
    public static String chatCompletion(String model, String content) {
        ObjectNode msg = M.createObjectNode().put("role", "assistant").put("content", content);
        msg.putNull("refusal");
        return write(completion(model, msg, "stop", usage(PROMPT_TOKENS, tokens(content))));
    }

    /** A chat completion whose message calls tools ({@code finish_reason: tool_calls}). */
    public static String toolCallCompletion(String model, ToolCall... calls) {
        ObjectNode msg = M.createObjectNode().put("role", "assistant");
        msg.putNull("content");
        ArrayNode tc = msg.putArray("tool_calls");
        for (ToolCall c : calls) {
            ObjectNode n = tc.addObject().put("id", c.id()).put("type", "function");
            n.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        msg.putNull("refusal");
        return write(completion(model, msg, "tool_calls", usage(PROMPT_TOKENS, 12)));
    }

    private static ObjectNode completion(String model, ObjectNode message, String finish, ObjectNode usage) {
        ObjectNode root = M.createObjectNode().put("id", "chatcmpl-mock").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        root.set("usage", usage);
        root.put("system_fingerprint", "fp_mock");
        return root;
    }

    /**
     * A streamed answer: a role chunk, one chunk per piece, a finish chunk; with {@code includeUsage},
     * {@code "usage":null} on each of those and a final {@code choices:[]} usage chunk, as OpenAI sends.
     */
    public static List<String> textChunks(String model, boolean includeUsage, String... pieces) {
        List<String> out = new ArrayList<>(pieces.length + 3);
        ObjectNode role = M.createObjectNode().put("role", "assistant").put("content", "");
        role.putNull("refusal");
        out.add(chunk(model, role, null, includeUsage));
        int chars = 0;
        for (String p : pieces) {
            out.add(chunk(model, M.createObjectNode().put("content", p), null, includeUsage));
            chars += p.length();
        }
        out.add(chunk(model, M.createObjectNode(), "stop", includeUsage));
        if (includeUsage) out.add(usageChunk(model, PROMPT_TOKENS, Math.max(1, chars / 4)));
        return out;
    }

    /**
     * A streamed tool-call answer: each call announced with its index, id and name, then its arguments in
     * fragments of {@code fragment} characters, then {@code finish_reason: tool_calls}.
     */
    public static List<String> toolCallChunks(String model, boolean includeUsage, int fragment, ToolCall... calls) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < calls.length; i++) {
            ToolCall c = calls[i];
            ObjectNode delta = M.createObjectNode();
            if (i == 0) {
                delta.put("role", "assistant");
                delta.putNull("content");
            }
            ObjectNode call = delta.putArray("tool_calls").addObject().put("index", i).put("id", c.id()).put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", "");
            out.add(chunk(model, delta, null, includeUsage));
            for (int at = 0; at < c.arguments().length(); at += fragment) {
                String part = c.arguments().substring(at, Math.min(c.arguments().length(), at + fragment));
                ObjectNode d = M.createObjectNode();
                d.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", part);
                out.add(chunk(model, d, null, includeUsage));
            }
        }
        out.add(chunk(model, M.createObjectNode(), "tool_calls", includeUsage));
        if (includeUsage) out.add(usageChunk(model, PROMPT_TOKENS, 12));
        return out;
    }

    /** One {@code chat.completion.chunk} with a single choice. */
    public static String chunk(String model, ObjectNode delta, String finishReason, boolean usageNull) {
        ObjectNode root = chunkHead(model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        if (usageNull) root.putNull("usage");
        return write(root);
    }

    /** The final usage chunk of a stream that asked for it: empty {@code choices}. */
    public static String usageChunk(String model, int prompt, int completion) {
        ObjectNode root = chunkHead(model);
        root.putArray("choices");
        root.set("usage", usage(prompt, completion));
        return write(root);
    }

    private static ObjectNode chunkHead(String model) {
        return M.createObjectNode().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", model).put("system_fingerprint", "fp_mock");
    }

    /** An embeddings answer, one vector per input. */
    public static String embeddings(String model, double[]... vectors) {
        ObjectNode root = M.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode v = e.putArray("embedding");
            for (double d : vectors[i]) v.add(d);
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", PROMPT_TOKENS).put("total_tokens", PROMPT_TOKENS);
        return write(root);
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    public static String error(String type, String code, String param, String message) {
        ObjectNode root = M.createObjectNode();
        ObjectNode e = root.putObject("error").put("message", message).put("type", type);
        if (param == null) e.putNull("param");
        else e.put("param", param);
        if (code == null) e.putNull("code");
        else e.put("code", code);
        return write(root);
    }

    public static ObjectNode usage(int prompt, int completion) {
        return M.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static int tokens(String content) {
        return Math.max(1, content.length() / 4);
    }

    private static String write(ObjectNode n) {
        try {
            return M.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
