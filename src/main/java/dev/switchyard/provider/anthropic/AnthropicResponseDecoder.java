package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.translate.CompletionWriter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Messages API answer → OpenAI {@code chat.completion}. Text blocks join into {@code content}; tool_use blocks
 * become {@code tool_calls} with their input as a JSON string; thinking becomes {@code reasoning_content}, and
 * the signed thinking blocks are also returned as {@code thinking_blocks} so a client can send them back on its
 * next assistant turn (Anthropic requires that to continue a tool-use turn with thinking on).
 */
final class AnthropicResponseDecoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AnthropicResponseDecoder() {}

    static DecodedResponse decode(Buffer body, StructuredOutput structured) {
        JsonNode msg;
        try {
            msg = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw new IllegalStateException("the Anthropic answer is not JSON", e);
        }
        if (msg == null || !"message".equals(msg.path("type").asText())) {
            throw new IllegalStateException("the Anthropic answer is not a message");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = null;
        ArrayNode thinkingBlocks = null;
        List<CompletionWriter.ToolCall> calls = new ArrayList<>(0);
        String answer = null;
        for (JsonNode block : msg.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText(""));
                case "thinking" -> {
                    if (reasoning == null) reasoning = new StringBuilder();
                    reasoning.append(block.path("thinking").asText(""));
                    if (thinkingBlocks == null) thinkingBlocks = F.arrayNode();
                    thinkingBlocks.addObject().put("type", "thinking").put("thinking", block.path("thinking").asText(""))
                            .put("signature", block.path("signature").asText(""));
                }
                case "redacted_thinking" -> {
                    if (thinkingBlocks == null) thinkingBlocks = F.arrayNode();
                    thinkingBlocks.addObject().put("type", "redacted_thinking").put("data", block.path("data").asText(""));
                }
                case "tool_use" -> {
                    JsonNode input = block.path("input");
                    if (structured != null && structured.toolName().equals(block.path("name").asText())) {
                        JsonNode a = structured.answer(input);
                        answer = a.isMissingNode() ? "null" : json(a);
                    } else {
                        calls.add(new CompletionWriter.ToolCall(block.path("id").asText(), block.path("name").asText(),
                                input.isMissingNode() ? "{}" : json(input)));
                    }
                }
                default -> { } // server-tool blocks (web search…) are reachable only through raw_params; not mapped
            }
        }
        // A structured answer is the whole content: any text beside it would make the JSON unparseable.
        String content = answer != null ? answer : !text.isEmpty() || calls.isEmpty() ? text.toString() : null;
        String finish = StopReasons.finishReason(msg.path("stop_reason").asText(null), answer != null && calls.isEmpty());
        Usage usage = usage(msg.path("usage"));
        Map<String, JsonNode> extra = thinkingBlocks == null ? Map.of() : Map.of("thinking_blocks", thinkingBlocks);
        CompletionWriter.Choice choice = new CompletionWriter.Choice(0, content, reasoning == null ? null : reasoning.toString(),
                calls, finish, extra);
        Buffer out = CompletionWriter.write(msg.path("id").asText(), System.currentTimeMillis() / 1000,
                msg.path("model").asText(), List.of(choice), usage);
        return new DecodedResponse(out, usage, finish);
    }

    /** Anthropic's input_tokens exclude cache reads and writes; OpenAI's prompt_tokens include them. */
    static Usage usage(JsonNode u) {
        if (u == null || u.isMissingNode() || u.isNull()) return null;
        return usage(u.path("input_tokens").asLong(0), u.path("cache_read_input_tokens").asLong(0),
                u.path("cache_creation_input_tokens").asLong(0), u.path("output_tokens").asLong(0));
    }

    /** Anthropic's counters as a {@link Usage}: the prompt total includes cache reads and cache writes. */
    static Usage usage(long input, long cacheRead, long cacheWrite, long output) {
        return new Usage(input + cacheRead + cacheWrite, cacheRead, cacheWrite, output, 0);
    }

    private static String json(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
