package dev.switchyard.provider.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.provider.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a request for a provider that deviates from OpenAI (renamed or refused parameters, tool-id
 * rules). Only requests that could be affected take this tree path: a byte search for the trigger field
 * names decides, and a false positive merely costs a parse.
 */
final class CompatQuirks {
    private final CompatSpec spec;
    private final byte[][] triggers;

    CompatQuirks(CompatSpec spec) {
        this.spec = spec;
        List<String> names = new ArrayList<>(spec.renamedParams().keySet());
        names.addAll(spec.droppedParams());
        if (spec.dropMessageNames()) names.add("name");
        if (spec.stripReasoning()) names.add("reasoning_content");
        if (spec.shortToolIds()) names.add("tool_call");
        triggers = names.stream().map(n -> Bytes.ascii("\"" + n)).toArray(byte[][]::new);
    }

    boolean mayApply(InboundRequest req) {
        if (triggers.length == 0) return false;
        byte[] body = req.body();
        for (byte[] t : triggers) if (Bytes.indexOf(body, 0, body.length, t) >= 0) return true;
        return false;
    }

    /** Applies the quirks to a copy of the request tree; names every dropped parameter in {@code dropped}. */
    ObjectNode apply(InboundRequest req, List<String> dropped) {
        ObjectNode body = ((ObjectNode) req.tree()).deepCopy();
        for (Map.Entry<String, String> r : spec.renamedParams().entrySet()) {
            JsonNode v = body.remove(r.getKey());
            if (v != null) body.set(r.getValue(), v);
        }
        for (String d : spec.droppedParams()) {
            if (body.remove(d) != null) dropped.add(d);
        }
        JsonNode messages = body.get("messages");
        if (messages instanceof ArrayNode arr) {
            boolean droppedName = false;
            for (JsonNode m : arr) {
                if (!(m instanceof ObjectNode msg)) continue;
                if (spec.dropMessageNames() && msg.remove("name") != null) droppedName = true;
                if (spec.stripReasoning() && "assistant".equals(msg.path("role").asText())) msg.remove("reasoning_content");
                if (spec.shortToolIds()) shortenToolIds(msg);
            }
            if (droppedName) dropped.add("messages[].name");
        }
        return body;
    }

    private static void shortenToolIds(ObjectNode msg) {
        JsonNode calls = msg.get("tool_calls");
        if (calls instanceof ArrayNode arr) {
            for (JsonNode c : arr) {
                if (c instanceof ObjectNode call && call.hasNonNull("id")) call.put("id", shortId(call.get("id").asText()));
            }
        }
        if (msg.hasNonNull("tool_call_id")) msg.put("tool_call_id", shortId(msg.get("tool_call_id").asText()));
    }

    /**
     * A stable 9-character alphanumeric id for any tool-call id, so a call and its result still match
     * after the mapping. Ids that already fit are kept.
     */
    static String shortId(String id) {
        if (id.length() == 9 && id.chars().allMatch(Character::isLetterOrDigit)) return id;
        long h = 1125899906842597L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) h = 31 * h + b;
        final String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        char[] out = new char[9];
        long x = h & Long.MAX_VALUE;
        for (int i = 0; i < 9; i++) {
            out[i] = alphabet.charAt((int) (x % alphabet.length()));
            x /= alphabet.length();
            if (x == 0) x = (h >>> 17) + i * 7919L & Long.MAX_VALUE;
        }
        return new String(out);
    }
}
