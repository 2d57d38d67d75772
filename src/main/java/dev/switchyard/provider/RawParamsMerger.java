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
 * A request's {@code raw_params}: provider-native fields merged into the upstream body after
 * translation, so users can reach what OpenAI's shape cannot say (Gemini safety settings, thinking
 * budgets, …).
 *
 * <p>Two forms. A plain object ({@code {"safetySettings": […]}}) goes to every target. An object whose
 * keys are all provider type names ({@code {"gemini": {…}, "anthropic": {…}}}) gives each target only
 * its own entry, so one fallback list can carry native settings for several providers. An object that
 * mixes both is ambiguous and rejected.
 *
 * <p>Merging is deep for objects (a raw {@code generationConfig.thinkingConfig} joins the translated
 * {@code generationConfig} instead of replacing it); any other value replaces what was there.
 */
public final class RawParamsMerger {
    /** Native adapter types; the OpenAI-compatible presets are added from {@link CompatPresets}. */
    private static final Set<String> NATIVE_TYPES = Set.of("openai", "azure", "anthropic", "gemini", "bedrock", "cohere");
    private static final Set<String> TYPES;

    static {
        Set<String> all = new HashSet<>(NATIVE_TYPES);
        all.addAll(CompatPresets.all().keySet());
        TYPES = Set.copyOf(all);
    }

    private RawParamsMerger() {}

    /**
     * The raw parameters that apply to {@code providerType}, or null when there are none.
     *
     * @param raw the request's {@code raw_params} value (may be null or missing)
     */
    public static ObjectNode select(JsonNode raw, String providerType) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) return null;
        if (!(raw instanceof ObjectNode obj)) {
            throw ApiError.invalidField("raw_params", "'raw_params' must be an object.").exception();
        }
        if (obj.isEmpty()) return null;
        int keyed = 0;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) if (TYPES.contains(it.next())) keyed++;
        if (keyed == 0) return obj;
        if (keyed != obj.size()) {
            throw ApiError.invalidField("raw_params", "'raw_params' mixes provider-keyed entries (e.g. \"gemini\": {…}) "
                    + "with plain fields; use one form: either all keys are provider types, or none is.").exception();
        }
        JsonNode mine = obj.get(providerType);
        if (mine == null || mine.isNull()) return null;
        if (!(mine instanceof ObjectNode o)) {
            throw ApiError.invalidField("raw_params." + providerType, "'raw_params." + providerType + "' must be an object.").exception();
        }
        return o.isEmpty() ? null : o;
    }

    /** Deep-merges {@code raw} into {@code body} (objects merge, everything else replaces). */
    public static void merge(ObjectNode body, ObjectNode raw) {
        if (raw == null) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = body.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                body.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
