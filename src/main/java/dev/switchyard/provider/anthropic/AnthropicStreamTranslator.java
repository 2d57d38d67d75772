package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.translate.ChunkWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic stream events → OpenAI {@code chat.completion.chunk}s. Keeps per-stream state: the kind of each
 * content block (Anthropic numbers text, thinking and tool blocks together; OpenAI's tool_call {@code index}
 * counts tool calls only), whether a tool call got any argument bytes (a tool without arguments streams only
 * {@code ""}; the client gets {@code "{}"}), and the usage counters, which {@code message_delta} updates
 * cumulatively.
 */
final class AnthropicStreamTranslator implements StreamTranslator {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Kind { TEXT, THINKING, TOOL, OUTPUT, IGNORED }

    /** State of one content block. */
    private static final class Block {
        final Kind kind;
        final int toolIndex;
        boolean sawArguments;
        StringBuilder buffered;

        Block(Kind kind, int toolIndex) {
            this.kind = kind;
            this.toolIndex = toolIndex;
        }
    }

    private final ChunkWriter out = new ChunkWriter();
    private final AnthropicEvent ev = new AnthropicEvent();
    private final boolean clientWantsUsage;
    private final StructuredOutput structured;
    private final List<Block> blocks = new ArrayList<>(4);
    private int toolCalls;
    private boolean structuredAnswer;
    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long output;
    private String finishReason;
    private boolean ended;

    AnthropicStreamTranslator(boolean clientWantsUsage, StructuredOutput structured) {
        this.clientWantsUsage = clientWantsUsage;
        this.structured = structured;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) {
        if (ended) return;
        if (!ev.read(event.data())) {
            fail(sink, "the upstream sent an event that is not JSON");
            return;
        }
        String type = ev.type != null ? ev.type : event.event();
        if (type == null) return;
        switch (type) {
            case "message_start" -> messageStart(sink);
            case "content_block_start" -> blockStart(sink);
            case "content_block_delta" -> blockDelta(sink);
            case "content_block_stop" -> blockStop(sink);
            case "message_delta" -> messageDelta(sink);
            case "message_stop" -> complete(sink);
            case "error" -> {
                ended = true;
                sink.error(AnthropicFailures.inStream(ev.errorType, ev.errorMessage));
            }
            default -> { } // ping, and event types newer than this code: ignored, as the SDKs do
        }
    }

    @Override
    public void onEnd(StreamSink sink) {
        // message_delta carried the stop reason: the answer is whole even if message_stop was lost
        if (!ended && finishReason != null) complete(sink);
    }

    private void messageStart(StreamSink sink) {
        updateUsage();
        begin(ev.messageId, ev.messageModel);
        sink.chunk(out.role(0), false);
        sink.usage(usage());
    }

    private void begin(String id, String model) {
        if (!out.begun()) out.begin(id == null ? "msg_unknown" : id, System.currentTimeMillis() / 1000, model == null ? "" : model);
    }

    private void blockStart(StreamSink sink) {
        begin(null, null);
        Block b;
        switch (ev.blockType == null ? "" : ev.blockType) {
            case "text" -> {
                b = new Block(Kind.TEXT, -1);
                if (ev.blockText != null && !ev.blockText.isEmpty()) sink.chunk(out.content(0, ev.blockText), true);
            }
            case "thinking" -> {
                b = new Block(Kind.THINKING, -1);
                if (ev.blockText != null && !ev.blockText.isEmpty()) sink.chunk(out.reasoning(0, ev.blockText), true);
            }
            case "tool_use" -> {
                if (structured != null && structured.toolName().equals(ev.blockName)) {
                    b = new Block(Kind.OUTPUT, -1);
                    structuredAnswer = true;
                    if (structured.wrapped()) b.buffered = new StringBuilder();
                } else {
                    b = new Block(Kind.TOOL, toolCalls++);
                    sink.chunk(out.toolCallStart(0, b.toolIndex, ev.blockId, ev.blockName), true);
                }
            }
            default -> b = new Block(Kind.IGNORED, -1); // redacted thinking, server tools
        }
        if (ev.index < 0) return;
        while (blocks.size() <= ev.index) blocks.add(null);
        blocks.set(ev.index, b);
    }

    private void blockDelta(StreamSink sink) {
        Block b = ev.index >= 0 && ev.index < blocks.size() ? blocks.get(ev.index) : null;
        String text = ev.deltaText;
        if (b == null || text == null || ev.deltaType == null) return;
        switch (ev.deltaType) {
            case "text_delta" -> {
                if (b.kind == Kind.TEXT && !text.isEmpty()) sink.chunk(out.content(0, text), true);
            }
            case "thinking_delta" -> {
                if (b.kind == Kind.THINKING && !text.isEmpty()) sink.chunk(out.reasoning(0, text), true);
            }
            case "input_json_delta" -> {
                if (text.isEmpty()) return;
                if (b.kind == Kind.TOOL) {
                    b.sawArguments = true;
                    sink.chunk(out.toolCallArguments(0, b.toolIndex, text), true);
                } else if (b.kind == Kind.OUTPUT) {
                    b.sawArguments = true;
                    if (b.buffered != null) b.buffered.append(text);
                    else sink.chunk(out.content(0, text), true);
                }
            }
            default -> { } // signature_delta, citations_delta
        }
    }

    private void blockStop(StreamSink sink) {
        Block b = ev.index >= 0 && ev.index < blocks.size() ? blocks.get(ev.index) : null;
        if (b == null) return;
        if (b.kind == Kind.TOOL && !b.sawArguments) {
            sink.chunk(out.toolCallArguments(0, b.toolIndex, "{}"), true);
        } else if (b.kind == Kind.OUTPUT && b.buffered != null) {
            // a wrapped schema: the answer is one member of the streamed object, so it goes out whole
            try {
                JsonNode input = b.buffered.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(b.buffered.toString());
                JsonNode answer = structured.answer(input);
                sink.chunk(out.content(0, answer.isMissingNode() ? "null" : MAPPER.writeValueAsString(answer)), true);
            } catch (IOException e) {
                fail(sink, "the structured answer is not valid JSON");
            }
        } else if (b.kind == Kind.OUTPUT && !b.sawArguments) {
            sink.chunk(out.content(0, "{}"), true);
        }
    }

    private void messageDelta(StreamSink sink) {
        updateUsage();
        if (ev.stopReason != null && finishReason == null) {
            begin(null, null);
            finishReason = StopReasons.finishReason(ev.stopReason, structuredAnswer && toolCalls == 0);
            sink.chunk(out.finish(0, finishReason), false);
        }
        sink.usage(usage());
    }

    private void complete(StreamSink sink) {
        begin(null, null);
        if (finishReason == null) {
            finishReason = "stop";
            sink.chunk(out.finish(0, finishReason), false);
        }
        Usage u = usage();
        if (clientWantsUsage) sink.chunk(out.usage(u), false);
        sink.usage(u);
        ended = true;
        sink.done(finishReason);
    }

    /** message_start carries the input counters; message_delta repeats (cumulative) values, which win. */
    private void updateUsage() {
        if (ev.inputTokens >= 0) input = ev.inputTokens;
        if (ev.cacheRead >= 0) cacheRead = ev.cacheRead;
        if (ev.cacheCreation >= 0) cacheCreation = ev.cacheCreation;
        if (ev.outputTokens >= 0) output = ev.outputTokens;
    }

    private Usage usage() {
        return AnthropicResponseDecoder.usage(input, cacheRead, cacheCreation, output);
    }

    private void fail(StreamSink sink, String why) {
        ended = true;
        sink.error(new UpstreamFailure(FailureKind.FAILOVER, 200, "bad_stream", null, null, why));
    }
}
