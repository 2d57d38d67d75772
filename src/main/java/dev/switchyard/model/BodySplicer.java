package dev.switchyard.model;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds an upstream body from the client's bytes by replacing a few byte ranges — the model value,
 * {@code stream_options}, gateway-only fields — and copying everything else verbatim. This is the
 * same-format fast path: no tree, no re-serialisation, and the upstream sees the client's exact bytes.
 */
public final class BodySplicer {
    private static final byte[] INCLUDE_USAGE = "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_OPTIONS_MEMBER =
            "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

    private record Edit(int start, int end, byte[] replacement) {}

    private BodySplicer() {}

    /**
     * @param upstreamModel the provider's model name
     * @param forceUsage    ask the upstream for stream usage even though the client did not
     */
    public static Buffer forUpstream(InboundRequest req, String upstreamModel, boolean forceUsage) {
        byte[] body = req.body();
        List<Edit> edits = new ArrayList<>(2 + req.gatewayFields().size());
        edits.add(new Edit(req.modelValue().start(), req.modelValue().end(), quoted(upstreamModel)));
        for (Span s : req.gatewayFields()) edits.add(new Edit(s.start(), s.end(), new byte[0]));
        if (forceUsage && req.stream() && !req.clientWantsUsage()) {
            Span so = req.streamOptions();
            if (so != null) {
                edits.add(new Edit(so.start(), so.end(), mergeIncludeUsage(body, so)));
            } else {
                int open = firstBrace(body);
                edits.add(new Edit(open + 1, open + 1, STREAM_OPTIONS_MEMBER));
            }
        }
        // by position; at one position an insertion (empty range) goes before a cut that starts there
        edits.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
        int size = body.length;
        for (Edit e : edits) size += e.replacement.length - (e.end - e.start);
        Buffer out = Buffer.buffer(size);
        int pos = 0;
        for (Edit e : edits) {
            out.appendBytes(body, pos, e.start - pos);
            out.appendBytes(e.replacement);
            pos = e.end;
        }
        out.appendBytes(body, pos, body.length - pos);
        return out;
    }

    /** {@code {"a":1}} → {@code {"include_usage":true,"a":1}}, dropping a client's own include_usage:false. */
    private static byte[] mergeIncludeUsage(byte[] body, Span so) {
        String inner = new String(body, so.start() + 1, so.length() - 2, StandardCharsets.UTF_8)
                .replaceAll("\"include_usage\"\\s*:\\s*(false|null)\\s*,?", "").trim();
        if (inner.endsWith(",")) inner = inner.substring(0, inner.length() - 1);
        if (inner.isEmpty()) return INCLUDE_USAGE;
        return ("{\"include_usage\":true," + inner + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static int firstBrace(byte[] body) {
        for (int i = 0; i < body.length; i++) if (body[i] == '{') return i;
        throw new IllegalStateException("not a JSON object");
    }

    private static byte[] quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }
}
