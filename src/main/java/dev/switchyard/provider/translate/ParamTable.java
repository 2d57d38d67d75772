package dev.switchyard.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.ApiError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One translating adapter's parameter-fidelity table: for every OpenAI chat parameter, whether the adapter
 * forwards it unchanged, translates it, drops it (named in the dropped-params header) or rejects the request.
 * It is data, so the docs and the tests can check it against the OpenAI spec; the encoder consults it once per
 * request, before translating, so nothing is lost silently.
 */
public final class ParamTable {
    /** What happens to a parameter. */
    public enum Fate {
        /** sent upstream unchanged (possibly under the same name in a different structure) */
        FORWARD,
        /** mapped to the provider's own equivalent */
        TRANSLATE,
        /** the provider has no equivalent: removed and named in {@code x-switchyard-dropped-params} */
        DROP,
        /** it cannot be honoured and ignoring it would change the answer's shape: 400 */
        REJECT
    }

    /**
     * @param inert values that ask for nothing beyond OpenAI's default (such as {@code n: 1}); a DROP rule
     *              does not report them and a REJECT rule lets them through. {@code null} is always inert.
     * @param note  why, in a few words, for the docs and for the rejection message
     */
    public record Rule(String name, Fate fate, Predicate<JsonNode> inert, String note) {}

    // Values that ask for nothing beyond OpenAI's default, shared by the adapters' tables.
    /** {@code false} */
    public static final Predicate<JsonNode> FALSE = v -> v.isBoolean() && !v.asBoolean();
    /** {@code true} */
    public static final Predicate<JsonNode> TRUE = v -> v.isBoolean() && v.asBoolean();
    /** {@code 0} */
    public static final Predicate<JsonNode> ZERO = v -> v.isNumber() && v.asDouble() == 0;
    /** {@code 1} */
    public static final Predicate<JsonNode> ONE = v -> v.isNumber() && v.asDouble() == 1;
    /** {@code {}} */
    public static final Predicate<JsonNode> EMPTY_OBJECT = v -> v.isObject() && v.isEmpty();
    /** {@code "auto"} */
    public static final Predicate<JsonNode> AUTO = v -> "auto".equals(v.asText());
    /** {@code ["text"]}: output modalities that ask for text only */
    public static final Predicate<JsonNode> TEXT_ONLY = v -> {
        if (!v.isArray()) return false;
        for (JsonNode m : v) if (!"text".equals(m.asText())) return false;
        return true;
    };

    private final String providerType;
    private final Map<String, Rule> rules;

    private ParamTable(String providerType, Map<String, Rule> rules) {
        this.providerType = providerType;
        this.rules = rules;
    }

    public static Builder builder(String providerType) {
        return new Builder(providerType);
    }

    public Collection<Rule> rules() {
        return Collections.unmodifiableCollection(rules.values());
    }

    /** The rule for {@code name}, or null: a field the table does not know is dropped. */
    public Rule rule(String name) {
        return rules.get(name);
    }

    /**
     * Audits the request's top-level members. Throws a 400 for a rejected parameter; returns the names of
     * the dropped ones in body order, unknown fields included (they have no meaning the provider could honour).
     */
    public List<String> audit(ObjectNode request) {
        List<String> dropped = new ArrayList<>(2);
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            Rule r = rules.get(member.getKey());
            JsonNode v = member.getValue();
            if (r == null) {
                dropped.add(member.getKey());
                continue;
            }
            if (v.isNull() || r.inert().test(v)) continue;
            if (r.fate() == Fate.DROP) {
                dropped.add(r.name());
            } else if (r.fate() == Fate.REJECT) {
                throw new ApiError(400, "invalid_request_error", "unsupported_parameter", r.name(),
                        "The parameter '" + r.name() + "' is not supported by provider type '" + providerType + "': "
                                + r.note() + ".").exception();
            }
        }
        return dropped;
    }

    /** Collects rules in declaration order (which is the order the docs list them). */
    public static final class Builder {
        private final String providerType;
        private final Map<String, Rule> rules = new LinkedHashMap<>();

        private Builder(String providerType) {
            this.providerType = providerType;
        }

        public Builder forward(String name, String note) {
            return add(name, Fate.FORWARD, v -> false, note);
        }

        public Builder translate(String name, String note) {
            return add(name, Fate.TRANSLATE, v -> false, note);
        }

        public Builder drop(String name, String note) {
            return add(name, Fate.DROP, v -> false, note);
        }

        /** Dropped, but values matching {@code inert} are OpenAI's default and need no mention. */
        public Builder drop(String name, Predicate<JsonNode> inert, String note) {
            return add(name, Fate.DROP, inert, note);
        }

        public Builder reject(String name, String note) {
            return add(name, Fate.REJECT, v -> false, note);
        }

        /** Rejected unless the value matches {@code inert} (for example {@code n: 1}). */
        public Builder reject(String name, Predicate<JsonNode> inert, String note) {
            return add(name, Fate.REJECT, inert, note);
        }

        private Builder add(String name, Fate fate, Predicate<JsonNode> inert, String note) {
            if (rules.put(name, new Rule(name, fate, inert, note)) != null) {
                throw new IllegalStateException("parameter listed twice: " + name);
            }
            return this;
        }

        public ParamTable build() {
            return new ParamTable(providerType, Collections.unmodifiableMap(new LinkedHashMap<>(rules)));
        }
    }
}
