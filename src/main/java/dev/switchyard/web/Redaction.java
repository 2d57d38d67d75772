package dev.switchyard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Hides secrets in configuration trees before an admin API shows them: provider API keys (an {@code env:NAME}
 * reference is shown, it is not a secret), every header value (headers often carry credentials) and options whose
 * name suggests a credential.
 */
final class Redaction {
    static final String HIDDEN = "<redacted>";

    private Redaction() {}

    /** Redacts one provider entry in place, as written in YAML ({@code api_key}, {@code headers}, {@code options}). */
    static void provider(JsonNode p) {
        if (!(p instanceof ObjectNode o)) return;
        JsonNode key = o.get("api_key");
        if (key != null && !key.isNull()) {
            String raw = key.isTextual() ? key.asText() : "";
            o.put("api_key", raw.startsWith("env:") ? raw : "<redacted:inline>");
        }
        values(o.get("headers"), true);
        values(o.get("options"), false);
    }

    /** Replaces values of a string map: all of them, or those whose name suggests a credential. */
    static void values(JsonNode map, boolean all) {
        if (!(map instanceof ObjectNode m)) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (all || secretish(e.getKey())) e.setValue(m.textNode(HIDDEN));
        }
    }

    static boolean secretish(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("key") || n.contains("secret") || n.contains("token") || n.contains("password")
                || n.contains("credential") || n.contains("auth");
    }
}
