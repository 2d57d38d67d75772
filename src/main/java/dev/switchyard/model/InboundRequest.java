package dev.switchyard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * A client request as received, plus what the gateway learned from one streaming scan of it.
 * The body is kept as bytes so same-format providers can forward it untouched except {@code model};
 * translating providers ask for {@link #tree()} (parsed once, lazily).
 *
 * @param body            the client's bytes, unchanged
 * @param model           the requested model name
 * @param modelValue      where the {@code model} value (with quotes) sits in {@code body}
 * @param stream          {@code stream: true}
 * @param clientWantsUsage the client asked for {@code stream_options.include_usage}
 * @param streamOptions   where the {@code stream_options} value (an object or {@code null}) sits, or null when absent
 * @param gatewayFields   member spans (name through value) of gateway-only fields such as {@code models};
 *                        they are cut before anything goes upstream
 * @param modelsOverride  the per-request fallback list from a {@code models} field, or empty
 */
public record InboundRequest(
        Operation op,
        byte[] body,
        String model,
        Span modelValue,
        boolean stream,
        boolean clientWantsUsage,
        Span streamOptions,
        List<Span> gatewayFields,
        List<String> modelsOverride,
        JsonNode[] treeCache) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static InboundRequest of(Operation op, byte[] body, String model, Span modelValue, boolean stream,
            boolean clientWantsUsage, Span streamOptions, List<Span> gatewayFields, List<String> modelsOverride) {
        return new InboundRequest(op, body, model, modelValue, stream, clientWantsUsage, streamOptions,
                gatewayFields, modelsOverride, new JsonNode[1]);
    }

    /** The body as a JSON tree, for translating adapters; parsed at most once per request. */
    public JsonNode tree() {
        JsonNode t = treeCache[0];
        if (t == null) {
            try {
                t = MAPPER.readTree(body);
            } catch (IOException e) {
                // the scanner already validated the JSON; this cannot happen for a scanned request
                throw new IllegalStateException("request body was validated but no longer parses", e);
            }
            treeCache[0] = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "InboundRequest[" + op + " model=" + model + " stream=" + stream + " bytes=" + body.length + "]";
    }
}
