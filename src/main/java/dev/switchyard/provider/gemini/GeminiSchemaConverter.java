package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Converts a JSON Schema (as OpenAI takes it for {@code response_format} and tool parameters) into
 * Gemini's OpenAPI-3.0 subset. What has an exact equivalent is rewritten (types upper-cased,
 * {@code ["string","null"]} and {@code anyOf […, {"type":"null"}]} to {@code nullable}, {@code const}
 * to a one-value enum, local {@code $ref}s inlined, property order kept through
 * {@code propertyOrdering}); pure annotations are left out; anything else — a constraint Gemini would
 * silently ignore or refuse — is rejected with a 400 naming the exact schema path, so a client never
 * gets output that does not match the schema it asked for.
 */
final class GeminiSchemaConverter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<String, String> TYPES = Map.of("string", "STRING", "number", "NUMBER", "integer", "INTEGER",
            "boolean", "BOOLEAN", "array", "ARRAY", "object", "OBJECT", "null", "NULL");
    /** Copied as they are: Gemini's Schema has the same field with the same meaning. */
    private static final Set<String> SAME = Set.of("title", "description", "nullable", "minItems", "maxItems", "minimum",
            "maximum", "minLength", "maxLength", "pattern", "default", "example");
    /** Annotations with no effect on what may be generated; left out. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "$defs", "definitions", "examples",
            "readOnly", "writeOnly", "deprecated", "contentMediaType", "contentEncoding");
    /** Formats Gemini understands; other formats are annotations to it and are left out. */
    private static final Set<String> FORMATS = Set.of("date-time", "date", "time", "enum", "int32", "int64", "float", "double");

    private final JsonNode root;
    private final String rootPath;
    private final Deque<String> refStack = new ArrayDeque<>();

    private GeminiSchemaConverter(JsonNode root, String rootPath) {
        this.root = root;
        this.rootPath = rootPath;
    }

    /** @param path where the schema sits in the client's request, for error messages */
    static ObjectNode convert(JsonNode schema, String path) {
        return new GeminiSchemaConverter(schema, path).node(schema, path);
    }

    private ObjectNode node(JsonNode schema, String path) {
        if (!(schema instanceof ObjectNode in)) {
            if (schema != null && schema.isBoolean() && schema.asBoolean()) return F.objectNode(); // "true" allows anything
            throw reject(path, "must be a JSON Schema object");
        }
        if (in.has("$ref")) return ref(in, path);
        ObjectNode out = F.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String at = path + "." + key;
            switch (key) {
                case "type" -> type(v, out, at);
                case "properties" -> properties(v, out, at);
                case "required" -> out.set("required", strings(v, at));
                case "items" -> {
                    if (v.isArray()) throw reject(at, "tuple-style 'items' arrays cannot be expressed in Gemini's schema");
                    out.set("items", node(v, at));
                }
                case "enum" -> out.set("enum", strings(v, at));
                case "const" -> {
                    if (!v.isTextual()) throw reject(at, "only string constants can be expressed (as a one-value enum)");
                    out.set("enum", F.arrayNode().add(v.asText()));
                }
                case "format" -> {
                    if (v.isTextual() && FORMATS.contains(v.asText())) out.set("format", v);
                }
                case "anyOf" -> anyOf(v, out, at);
                case "allOf" -> {
                    if (!v.isArray() || v.size() != 1) throw reject(at, "only a single-schema 'allOf' can be expressed");
                    ObjectNode merged = node(v.get(0), at + "[0]");
                    merged.setAll(out);
                    out = merged;
                }
                case "additionalProperties" -> {
                    if (!(v.isBoolean() && !v.asBoolean())) {
                        throw reject(at, "Gemini schemas cannot allow additional properties; list every property in 'properties'");
                    }
                }
                default -> {
                    if (SAME.contains(key)) out.set(key, v.deepCopy());
                    else if (!ANNOTATIONS.contains(key)) throw reject(at, "'" + key + "' cannot be expressed in Gemini's schema subset");
                }
            }
        }
        if (in.has("enum") && !out.has("type")) out.put("type", "STRING");
        if (in.has("const") && !out.has("type")) out.put("type", "STRING");
        return out;
    }

    private void type(JsonNode v, ObjectNode out, String at) {
        if (v.isTextual()) {
            out.put("type", gemini(v.asText(), at));
            return;
        }
        if (!v.isArray() || v.isEmpty()) throw reject(at, "must be a type name or an array of type names");
        ArrayNode alternatives = F.arrayNode();
        boolean nullable = false;
        for (int i = 0; i < v.size(); i++) {
            String t = gemini(v.get(i).asText(), at + "[" + i + "]");
            if (t.equals("NULL")) nullable = true;
            else alternatives.add(F.objectNode().put("type", t));
        }
        if (nullable) out.put("nullable", true);
        if (alternatives.size() == 1) out.set("type", alternatives.get(0).get("type"));
        else if (alternatives.size() > 1) out.set("anyOf", alternatives);
        else out.put("type", "NULL");
    }

    private static String gemini(String jsonType, String at) {
        String t = TYPES.get(jsonType);
        if (t == null) throw reject(at, "unknown type '" + jsonType + "'");
        return t;
    }

    private void properties(JsonNode v, ObjectNode out, String at) {
        if (!(v instanceof ObjectNode props)) throw reject(at, "must be an object");
        ObjectNode converted = F.objectNode();
        ArrayNode order = F.arrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            converted.set(p.getKey(), node(p.getValue(), at + "." + p.getKey()));
            order.add(p.getKey());
        }
        out.set("properties", converted);
        // OpenAI answers keep the schema's property order; Gemini sorts keys unless told the order.
        if (order.size() > 1) out.set("propertyOrdering", order);
    }

    private void anyOf(JsonNode v, ObjectNode out, String at) {
        if (!v.isArray() || v.isEmpty()) throw reject(at, "must be a non-empty array of schemas");
        ArrayNode alternatives = F.arrayNode();
        boolean nullable = false;
        for (int i = 0; i < v.size(); i++) {
            JsonNode alt = v.get(i);
            if (alt.size() == 1 && "null".equals(alt.path("type").asText())) {
                nullable = true;
                continue;
            }
            alternatives.add(node(alt, at + "[" + i + "]"));
        }
        if (nullable) out.put("nullable", true);
        if (alternatives.size() == 1) {
            ObjectNode only = (ObjectNode) alternatives.get(0);
            only.setAll(out);
            out.setAll(only); // Optional[X]: X itself, made nullable
        } else if (!alternatives.isEmpty()) {
            out.set("anyOf", alternatives);
        }
    }

    /** Inlines a local reference ({@code #/$defs/X}, {@code #/definitions/X}); siblings such as a description win. */
    private ObjectNode ref(ObjectNode in, String path) {
        String ref = in.get("$ref").asText();
        String at = path + ".$ref";
        if (!ref.startsWith("#/")) throw reject(at, "only local references ('#/$defs/…') can be inlined, not '" + ref + "'");
        if (refStack.contains(ref)) throw reject(at, "recursive schemas ('" + ref + "') cannot be expressed in Gemini's schema");
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) throw reject(at, "'" + ref + "' does not resolve inside the schema");
        refStack.push(ref);
        ObjectNode out;
        try {
            out = node(target, rootPath + ref.substring(1).replace('/', '.'));
        } finally {
            refStack.pop();
        }
        ObjectNode siblings = in.deepCopy();
        siblings.remove("$ref");
        if (!siblings.isEmpty()) out.setAll(node(siblings, path));
        return out;
    }

    private static ArrayNode strings(JsonNode v, String at) {
        if (!v.isArray()) throw reject(at, "must be an array of strings");
        for (JsonNode s : v) {
            if (!s.isTextual()) throw reject(at, "Gemini accepts only strings here (found " + s + ")");
        }
        return (ArrayNode) v.deepCopy();
    }

    private static RuntimeException reject(String path, String why) {
        return ApiError.invalidField(path, "Unsupported JSON Schema for Gemini at '" + path + "': " + why + ".").exception();
    }
}
