package dev.switchyard.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A request's {@code raw_params}: provider-native fields merged verbatim into the translated body, the way to
 * reach what OpenAI's format cannot express (Anthropic {@code top_k}, Gemini safety settings…). Two shapes:
 * <ul>
 *   <li>flat, {@code {"top_k": 5}}: for whichever provider serves the request;</li>
 *   <li>keyed by provider type, {@code {"anthropic": {"top_k": 5}, "gemini": {…}}}: each target in a
 *       fallback list takes only its own entry.</li>
 * </ul>
 * An object is keyed as soon as one of its keys names a provider type; mixing the shapes is a 400, because
 * the gateway could not tell which entries are meant for whom.
 */
public final class RawParams {
    public static final String FIELD = "raw_params";
    /**
     * Provider types the config schema names (shared/config-example.yaml), registered or not yet: a key among
     * these is never a native field, so {@code {"gemini": {…}}} stays keyed even in a build without Gemini.
     */
    static final Set<String> SCHEMA_TYPES = Set.of("openai", "anthropic", "gemini", "azure", "bedrock", "cohere");

    private RawParams() {}

    /**
     * The part of the request's {@code raw_params} meant for {@code providerType}, or null when there is none.
     *
     * @param providerTypes every provider type name the gateway knows
     */
    public static ObjectNode select(JsonNode request, String providerType, Set<String> providerTypes) {
        JsonNode raw = request.get(FIELD);
        if (raw == null || raw.isNull()) return null;
        if (!(raw instanceof ObjectNode obj)) {
            throw ApiError.invalidField(FIELD, "'raw_params' must be an object.").exception();
        }
        int keyed = 0;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (providerTypes.contains(k) || SCHEMA_TYPES.contains(k)) keyed++;
        }
        if (keyed == 0) return obj.isEmpty() ? null : obj;
        if (keyed != obj.size()) {
            throw ApiError.invalidField(FIELD, "'raw_params' mixes provider-keyed entries with plain fields: either key "
                    + "every entry by provider type ({\"" + providerType + "\": {…}}) or give one flat object.").exception();
        }
        JsonNode mine = obj.get(providerType);
        if (mine == null || mine.isNull()) return null;
        if (!(mine instanceof ObjectNode m)) {
            throw ApiError.invalidField(FIELD + "." + providerType, "'raw_params." + providerType + "' must be an object.").exception();
        }
        return m.isEmpty() ? null : m;
    }

    /**
     * Merges {@code params} into {@code body}: objects merge member by member, anything else replaces what is
     * there. {@code reserved} names fields the gateway itself must control (the model, streaming); setting them
     * is a 400 naming the field.
     */
    public static void merge(ObjectNode body, ObjectNode params, Set<String> reserved) {
        for (String r : reserved) {
            if (params.has(r)) {
                throw ApiError.invalidField(FIELD + "." + r, "'" + r + "' cannot be set through raw_params: the gateway controls it.").exception();
            }
        }
        deepMerge(body, params);
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                deepMerge(target, source);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
