package dev.switchyard.provider.gemini;

import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.translate.ChunkWriter;
import dev.switchyard.provider.gemini.GeminiWire.Candidate;
import dev.switchyard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchyard.provider.gemini.GeminiWire.Part;
import dev.switchyard.provider.gemini.GeminiWire.Reply;
import dev.switchyard.provider.gemini.GeminiWire.Text;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini's {@code streamGenerateContent?alt=sse} → OpenAI {@code chat.completion.chunk}s. Each Gemini
 * event is a partial {@code GenerateContentResponse}: text and thoughts are deltas, a function call
 * arrives whole, usage is cumulative. One chunk is emitted per event and candidate that says anything;
 * the first chunk of a choice carries {@code role: assistant}; tool calls are numbered per choice.
 *
 * <p>Gemini ends a stream by closing it, with no terminator, so the answer counts as complete only if a
 * finish reason arrived before the close; then the usage chunk (when the client asked for one) and the
 * end are written in {@link #onEnd}. Usage always goes to the sink, for accounting.
 */
final class GeminiStreamTranslator implements StreamTranslator {
    /** What one choice has emitted so far. */
    private static final class Choice {
        boolean started;
        int toolCalls;
        String finish;
    }

    private final boolean clientWantsUsage;
    private final String fallbackModel;
    private final long created = System.currentTimeMillis() / 1000;
    private final Map<Integer, Choice> choices = new HashMap<>(2);
    private final ChunkWriter out = new ChunkWriter();
    private String key;
    private int callsSeen;
    private Usage usage;
    private String finish;

    GeminiStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
        this.clientWantsUsage = clientWantsUsage;
        this.fallbackModel = request.model();
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) {
        Reply r;
        try {
            r = GeminiWire.reply(event.data());
        } catch (RuntimeException e) {
            sink.error(new UpstreamFailure(FailureKind.FAILOVER, 0, "malformed_chunk", null, null, "Gemini sent a stream event that is not JSON"));
            return;
        }
        if (r.error() != null) {
            sink.error(GeminiFailures.inStream(r.error()));
            return;
        }
        if (key == null) {
            key = GeminiToOpenAi.responseKey(r.responseId());
            out.begin("chatcmpl-" + key, created, r.modelVersion() != null ? r.modelVersion() : fallbackModel);
        }
        if (r.usage() != null) {
            usage = GeminiToOpenAi.usage(r.usage());
            sink.usage(usage);
        }
        if (r.candidates().isEmpty() && r.blockReason() != null) {
            Choice c = choice(0);
            sink.chunk(chunk(0, c, "", "", List.of(), "content_filter"), false);
            finished(0, c, "content_filter");
            return;
        }
        for (Candidate cand : r.candidates()) {
            if (GeminiToOpenAi.MALFORMED_CALL.equals(cand.finishReason())) {
                sink.error(new UpstreamFailure(FailureKind.TRANSIENT, 0, "malformed_call", null, null,
                        "Gemini could not form a valid function call (MALFORMED_FUNCTION_CALL)"));
                return;
            }
            candidate(cand, sink);
        }
    }

    private void candidate(Candidate cand, StreamSink sink) {
        Choice c = choice(cand.index());
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        List<FunctionCall> calls = new ArrayList<>(0);
        for (Part p : cand.parts()) {
            if (p instanceof Text t) (t.thought() ? thoughts : text).append(t.text());
            else if (p instanceof FunctionCall f) calls.add(f);
        }
        boolean content = !text.isEmpty() || !thoughts.isEmpty() || !calls.isEmpty();
        String fin = GeminiToOpenAi.finishReason(cand.finishReason(), c.toolCalls > 0 || !calls.isEmpty());
        if (!content && fin == null) return; // e.g. a trailing empty text part that only carries a signature
        sink.chunk(chunk(cand.index(), c, text, thoughts, calls, fin), content);
        if (fin != null) finished(cand.index(), c, fin);
    }

    private Choice choice(int index) {
        return choices.computeIfAbsent(index, i -> new Choice());
    }

    private void finished(int index, Choice c, String fin) {
        c.finish = fin;
        if (finish == null || index == 0) finish = fin;
    }

    /** One chunk of choice {@code index}: Gemini sends text, thoughts and whole calls in one event, so one delta. */
    private Buffer chunk(int index, Choice c, CharSequence text, CharSequence thoughts, List<FunctionCall> calls, String fin) {
        boolean first = !c.started;
        c.started = true;
        return out.delta(index, g -> {
            if (first) g.writeStringField("role", "assistant");
            if (!thoughts.isEmpty()) g.writeStringField("reasoning_content", thoughts.toString());
            if (!text.isEmpty()) g.writeStringField("content", text.toString());
            if (!calls.isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (FunctionCall f : calls) {
                    GeminiToOpenAi.writeToolCall(g, f, GeminiToOpenAi.callId(f, key, callsSeen++), c.toolCalls++);
                }
                g.writeEndArray();
            }
        }, fin);
    }

    @Override
    public void onEnd(StreamSink sink) {
        if (finish == null) return; // closed before a finish reason: the relay treats it as a broken stream
        if (clientWantsUsage && usage != null) sink.chunk(out.usage(usage), false);
        sink.done(finish);
    }
}
