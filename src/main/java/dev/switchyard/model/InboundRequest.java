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
 * @param rawParams       the body has a {@code raw_params} member (its span is among {@code gatewayFields}):
 *                        adapters that splice bytes must build a tree to merge what applies to them
 * @param strict          the client sent {@code x-switchyard-strict: true}: a target that would drop a parameter
 *                        is not used
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
        boolean rawParams,
        boolean strict,
        JsonNode[] treeCache) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static InboundRequest of(Operation op, byte[] body, String model, Span modelValue, boolean stream,
            boolean clientWantsUsage, Span streamOptions, List<Span> gatewayFields, List<String> modelsOverride) {
        return of(op, body, model, modelValue, stream, clientWantsUsage, streamOptions, gatewayFields, modelsOverride, false);
    }

    public static InboundRequest of(Operation op, byte[] body, String model, Span modelValue, boolean stream,
            boolean clientWantsUsage, Span streamOptions, List<Span> gatewayFields, List<String> modelsOverride,
            boolean rawParams) {
        return new InboundRequest(op, body, model, modelValue, stream, clientWantsUsage, streamOptions,
                gatewayFields, modelsOverride, rawParams, false, new JsonNode[1]);
    }

    /** The same request with {@code x-switchyard-strict} set as given (the parsed tree is shared, not re-read). */
    public InboundRequest withStrict(boolean on) {
        if (on == strict) return this;
        return new InboundRequest(op, body, model, modelValue, stream, clientWantsUsage, streamOptions,
                gatewayFields, modelsOverride, rawParams, on, treeCache);
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
        return "InboundRequest[" + op + " model=" + model + " stream=" + stream + (strict ? " strict" : "") + " bytes=" + body.length + "]";
    }
}
