package dev.switchyard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A cursor over the parsed YAML that knows its own path, so every problem is reported as
 * {@code models.summarize.targets[1].provider: unknown provider 'groqq'} and reading goes on to
 * find the next one instead of stopping at the first.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final Problems problems;

    /** Shared sink of problems plus the environment used to resolve {@code env:NAME}. */
    public static final class Problems {
        final List<String> list = new ArrayList<>();
        final Function<String, String> env;

        public Problems(Function<String, String> env) {
            this.env = env;
        }

        public void add(String path, String message) {
            list.add((path.isEmpty() ? "(root)" : path) + ": " + message);
        }

        public List<String> list() {
            return list;
        }
    }

    public ConfigNode(JsonNode node, String path, Problems problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
    }

    public String path() {
        return path;
    }

    public JsonNode raw() {
        return node;
    }

    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public void problem(String message) {
        problems.add(path, message);
    }

    public ConfigNode get(String key) {
        return new ConfigNode(node.get(key), path.isEmpty() ? key : path + "." + key, problems);
    }

    /** Reports keys that this section does not know; a typo must not be silently ignored. */
    public void allowOnly(Set<String> known) {
        if (!node.isObject()) return;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                // sorted: Set.of iterates in an order that changes from run to run
                problems.add(path.isEmpty() ? k : path + "." + k,
                        "unknown key (expected one of " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    public boolean expectObject() {
        if (!present()) return false;
        if (!node.isObject()) {
            problem("must be a mapping (key: value), got " + kind(node));
            return false;
        }
        return true;
    }

    /** Entries of a mapping, in file order. */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!expectObject()) return out;
        node.fields().forEachRemaining(e -> out.put(e.getKey(), get(e.getKey())));
        return out;
    }

    /** Elements of a sequence; a missing key is an empty list. */
    public List<ConfigNode> elements() {
        List<ConfigNode> out = new ArrayList<>();
        if (!present()) return out;
        if (!node.isArray()) {
            problem("must be a list, got " + kind(node));
            return out;
        }
        for (int i = 0; i < node.size(); i++) out.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems));
        return out;
    }

    /** The scalar as text with {@code env:NAME} resolved; null when absent or unresolvable. */
    public String text() {
        if (!present()) return null;
        if (!node.isValueNode()) {
            problem("must be a single value, got " + kind(node));
            return null;
        }
        String s = node.asText();
        if (s.startsWith("env:")) {
            String name = s.substring(4).trim();
            String v = problems.env.apply(name);
            if (v == null || v.isEmpty()) {
                problem("environment variable " + name + " is not set (export " + name + "=… or change this value)");
                return null;
            }
            return v;
        }
        return s;
    }

    public String string(String key, String dflt) {
        String v = get(key).text();
        return v == null ? dflt : v;
    }

    public String requiredString(String key) {
        ConfigNode c = get(key);
        if (!c.present()) {
            c.problem("is required");
            return null;
        }
        return c.text();
    }

    public Secret secret(String key) {
        ConfigNode c = get(key);
        if (!c.present()) return null;
        String raw = c.node.isTextual() ? c.node.asText() : "";
        String v = c.text();
        if (v == null) return null;
        return Secret.of(v, raw.startsWith("env:") ? raw.trim() : "inline");
    }

    public Duration duration(String key, Duration dflt) {
        ConfigNode c = get(key);
        String v = c.text();
        if (v == null) return dflt;
        Duration d = Sizes.duration(v);
        if (d == null) {
            c.problem("'" + v + "' is not a duration; write it with a unit, e.g. 250ms, 2s, 1m");
            return dflt;
        }
        return d;
    }

    public long bytes(String key, long dflt) {
        ConfigNode c = get(key);
        String v = c.text();
        if (v == null) return dflt;
        long b = Sizes.bytes(v);
        if (b <= 0) {
            c.problem("'" + v + "' is not a size; write e.g. 10MiB, 512KiB or a byte count");
            return dflt;
        }
        return b;
    }

    public int integer(String key, int dflt, int min, int max) {
        ConfigNode c = get(key);
        if (!c.present()) return dflt;
        String v = c.text();
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                c.problem(n + outOfRange(min, max, max == Integer.MAX_VALUE));
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            c.problem("'" + v + "' is not a whole number");
            return dflt;
        }
    }

    public double number(String key, double dflt, double min, double max) {
        ConfigNode c = get(key);
        if (!c.present()) return dflt;
        String v = c.text();
        if (v == null) return dflt;
        try {
            double n = Double.parseDouble(v.trim());
            if (n < min || n > max || Double.isNaN(n)) {
                c.problem(v + outOfRange(min, max, max == Double.MAX_VALUE));
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            c.problem("'" + v + "' is not a number");
            return dflt;
        }
    }

    /** " is out of range 0..1", or " must be at least 0" when there is no real upper bound. */
    private static String outOfRange(double min, double max, boolean unbounded) {
        return unbounded ? " must be at least " + plain(min) : " is out of range " + plain(min) + ".." + plain(max);
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    public boolean bool(String key, boolean dflt) {
        ConfigNode c = get(key);
        String v = c.text();
        if (v == null) return dflt;
        return switch (v.trim()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                c.problem("'" + v + "' is not true or false");
                yield dflt;
            }
        };
    }

    public List<String> strings(String key) {
        ConfigNode c = get(key);
        List<String> out = new ArrayList<>();
        if (!c.present()) return out;
        if (c.node.isValueNode()) {
            String v = c.text();
            if (v != null) out.add(v);
            return out;
        }
        for (ConfigNode e : c.elements()) {
            String v = e.text();
            if (v != null) out.add(v);
        }
        return out;
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) return "a mapping";
        if (n.isArray()) return "a list";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        // not echoed: a value in the wrong place may be a key or a token
        return "a string";
    }
}
