package dev.switchyard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import dev.switchyard.provider.compat.CompatPresets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A request's {@code raw_params}: provider-native fields merged into the upstream body after translation, the way
 * to reach what OpenAI's format cannot say (Anthropic {@code top_k}, Gemini safety settings, Azure data sources…).
 * Every adapter uses this one class, so the forms and their validation are the same for every provider type:
 * <ul>
 *   <li>flat, {@code {"top_k": 5}}: for whichever target serves the request;</li>
 *   <li>keyed by provider type, {@code {"anthropic": {"top_k": 5}, "gemini": {…}}}: each target in a fallback
 *       list takes only its own entry, and a target whose type has no entry gets nothing.</li>
 * </ul>
 * An object is keyed as soon as one key names a provider type; one that mixes keyed entries and plain fields is a
 * 400, because the gateway could not tell which entries are meant for whom. Merging is deep for objects (a raw
 * {@code generationConfig.thinkingConfig} joins the translated {@code generationConfig}); any other value replaces
 * what was there. {@code model} and {@code stream} cannot be set: the gateway controls them.
 */
public final class RawParams {
    public static final String FIELD = "raw_params";
    /** Fields the gateway itself decides: the upstream model (routing) and whether the answer streams (relay). */
    public static final Set<String> RESERVED = Set.of("model", "stream");
    /**
     * Every provider type name: the registered ones (the compat presets, the native adapters, {@code simulated})
     * plus the types the config schema names but this build may not serve yet ({@code bedrock}, {@code cohere}),
     * so {@code {"bedrock": {…}}} stays a keyed entry rather than becoming a native field.
     */
    static final Set<String> TYPES;

    static {
        Set<String> all = new HashSet<>(Set.of("openai", "azure", "anthropic", "gemini", "bedrock", "cohere", "simulated"));
        all.addAll(CompatPresets.all().keySet());
        TYPES = Set.copyOf(all);
    }

    private RawParams() {}

    /** The request's {@code raw_params} entries meant for {@code providerType}, or null when there are none. */
    public static ObjectNode forType(JsonNode request, String providerType) {
        return select(request.get(FIELD), providerType);
    }

    /**
     * The part of a {@code raw_params} value meant for {@code providerType}, or null when there is none.
     *
     * @param raw the {@code raw_params} value (null, missing or JSON null mean none)
     * @throws dev.switchyard.model.ApiException 400 for a value that is not an object, a mixed object, or a
     *         keyed entry that is not an object
     */
    public static ObjectNode select(JsonNode raw, String providerType) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) return null;
        if (!(raw instanceof ObjectNode obj)) {
            throw ApiError.invalidField(FIELD, "'raw_params' must be an object.").exception();
        }
        int keyed = 0;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) if (TYPES.contains(it.next())) keyed++;
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
     * Deep-merges {@code params} into {@code body}: objects merge member by member, anything else replaces what is
     * there (a copy: the request's tree is shared by every attempt). Does nothing when {@code params} is null.
     *
     * @throws dev.switchyard.model.ApiException 400 naming {@code raw_params.model} or {@code raw_params.stream}
     */
    public static void merge(ObjectNode body, ObjectNode params) {
        if (params == null) return;
        for (String r : RESERVED) {
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
