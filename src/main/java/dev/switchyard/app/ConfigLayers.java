package dev.switchyard.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.auth.KeyDirectory;
import dev.switchyard.config.ClientKeyConfig;
import dev.switchyard.config.ConfigException;
import dev.switchyard.config.ConfigLoader;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.store.RuntimeConfigStore;
import dev.switchyard.web.RuntimeConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The effective configuration: the file (or the built-in demo) with the runtime layer — providers, models and price
 * overrides set through the admin API and kept in the store — laid over it. Runtime entries win over the file's
 * entries of the same name; a runtime removal hides the file's entry. Every change, from the file or the API, is
 * validated as a whole by the same {@link ConfigLoader} rules (so problems carry exact paths) and applied with
 * {@link Gateway#reload}; changes are serialised, so a file reload and an API change never interleave.
 */
public final class ConfigLayers implements RuntimeConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigLoader loader;
    private final ConfigLoader fileLoader;
    private final Path file;
    private final String builtIn;
    private final RuntimeConfigStore store;
    private final KeyDirectory keys;
    private final UnaryOperator<GatewayConfig> adjust;
    private Supplier<Gateway> gateway = () -> null;
    /** the runtime layer, by section/name */
    private final Map<String, RuntimeConfigStore.Entry> runtime = new TreeMap<>();
    /** the file's tree as last applied; API changes are validated over it, not over unapplied edits */
    private JsonNode base;

    /**
     * @param file    the config file, or null for {@code builtIn} (the demo), which never changes
     * @param adjust  applied to every result (e.g. the command line's {@code --port})
     */
    public ConfigLayers(ConfigLoader loader, Path file, String builtIn, RuntimeConfigStore store, KeyDirectory keys,
            UnaryOperator<GatewayConfig> adjust) throws SQLException {
        this.loader = loader.withRuntimeKeys(() -> keys.anyActive(System.currentTimeMillis()));
        this.fileLoader = loader.withRuntimeKeys(() -> true);
        this.file = file;
        this.builtIn = builtIn;
        this.store = store;
        this.keys = keys;
        this.adjust = adjust;
        for (RuntimeConfigStore.Entry e : store.all()) runtime.put(e.section() + "/" + e.name(), e);
    }

    /** The gateway to apply changes to, once it runs. */
    public void attach(Supplier<Gateway> gateway) {
        this.gateway = gateway;
    }

    /** Reads the file, lays the runtime layer over it and validates the result (startup). */
    public synchronized GatewayConfig load() throws ConfigException {
        JsonNode fresh = readBase();
        GatewayConfig c = validate(fresh, runtime.values());
        base = fresh;
        return c;
    }

    /** Re-reads the file and applies it with the runtime layer; for {@link ConfigReloader}. */
    public synchronized String reloadFromFile() throws ConfigException {
        JsonNode fresh = readBase();
        GatewayConfig c = validate(fresh, runtime.values());
        String summary = gateway.get().reload(c);
        base = fresh;
        return summary;
    }

    /**
     * The file's tree; the file must be valid on its own (keys created through the admin API aside), so it never
     * depends on the runtime layer and a gateway always starts from it.
     */
    private JsonNode readBase() throws ConfigException {
        JsonNode tree = file != null ? ConfigLoader.tree(file) : ConfigLoader.tree(builtIn, "built-in demo config");
        fileLoader.parse(tree);
        return tree;
    }

    private GatewayConfig validate(JsonNode fileTree, Collection<RuntimeConfigStore.Entry> layer) throws ConfigException {
        GatewayConfig c = adjust.apply(loader.parse(merge(fileTree, layer)));
        List<String> clashes = new ArrayList<>();
        List<ClientKeyConfig> statics = c.auth().keys();
        for (int i = 0; i < statics.size(); i++) {
            if (keys.byName(statics.get(i).name()).isPresent()) {
                clashes.add("auth.keys[" + i + "].name: '" + statics.get(i).name() + "' is already the name of a key created "
                        + "through the admin API; key names must be unique");
            }
        }
        if (!clashes.isEmpty()) throw new ConfigException(clashes);
        return c;
    }

    /** The file's tree with the runtime entries laid over it. */
    static JsonNode merge(JsonNode fileTree, Collection<RuntimeConfigStore.Entry> layer) throws ConfigException {
        ObjectNode root = fileTree instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
        for (RuntimeConfigStore.Entry e : layer) {
            ObjectNode section = e.section().equals("pricing") ? child(child(root, "pricing"), "overrides") : child(root, e.section());
            if (section == null) continue; // the file's section is not a mapping: the loader reports it
            if (e.body() == null) section.remove(e.name());
            else {
                try {
                    section.set(e.name(), JSON.readTree(e.body()));
                } catch (JsonProcessingException ex) {
                    throw new ConfigException(List.of(e.section() + "." + e.name() + ": the stored runtime entry is not valid JSON"));
                }
            }
        }
        return root;
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        if (parent == null) return null;
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) return parent.putObject(name);
        return n instanceof ObjectNode o ? o : null;
    }

    @Override
    public synchronized Outcome put(String section, String name, JsonNode body) throws SQLException {
        if (!SECTIONS.contains(section)) return new Outcome(Result.NOT_FOUND, List.of(), "unknown section '" + section + "'");
        if (name.isEmpty() || name.length() > 256 || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return new Outcome(Result.INVALID, List.of(section + ": '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a usable name (1 to 256 printable characters)"), null);
        }
        List<String> refs = new ArrayList<>();
        envReferences(body, section + "." + name, refs);
        if (!refs.isEmpty()) return new Outcome(Result.INVALID, refs, null);
        return change(new RuntimeConfigStore.Entry(section, name, body.toString(), System.currentTimeMillis()), false);
    }

    /**
     * Runtime entries may read the environment for {@code api_key} only: an {@code env:NAME} elsewhere (a base URL, a
     * header) would let the admin API copy any of the gateway's environment variables into requests or error messages.
     */
    private static void envReferences(JsonNode n, String path, List<String> out) {
        if (n.isTextual() && n.asText().startsWith("env:") && !path.endsWith(".api_key")) {
            out.add(path + ": env: references are allowed only for api_key in changes made through the admin API");
        }
        if (n.isObject()) n.fields().forEachRemaining(e -> envReferences(e.getValue(), path + "." + e.getKey(), out));
        if (n.isArray()) for (int i = 0; i < n.size(); i++) envReferences(n.get(i), path + "[" + i + "]", out);
    }

    @Override
    public synchronized Outcome remove(String section, String name) throws SQLException {
        if (!effective(section).has(name)) {
            return new Outcome(Result.NOT_FOUND, List.of(), "The effective configuration has no " + section + " entry '" + name + "'.");
        }
        boolean inFile = section(base, section) != null && section(base, section).has(name);
        // a removal hides the file's entry; an entry only the runtime layer had is simply forgotten
        return change(new RuntimeConfigStore.Entry(section, name, null, System.currentTimeMillis()), !inFile);
    }

    @Override
    public synchronized Outcome forget(String section, String name) throws SQLException {
        RuntimeConfigStore.Entry e = runtime.get(section + "/" + name);
        if (e == null) return new Outcome(Result.NOT_FOUND, List.of(), "The runtime layer has no " + section + " entry '" + name + "'.");
        return change(e, true);
    }

    /** Validates the layer with {@code entry} set (or dropped), then persists it and applies it. */
    private Outcome change(RuntimeConfigStore.Entry entry, boolean drop) throws SQLException {
        String key = entry.section() + "/" + entry.name();
        Map<String, RuntimeConfigStore.Entry> next = new TreeMap<>(runtime);
        if (drop) next.remove(key);
        else next.put(key, entry);
        GatewayConfig c;
        try {
            c = validate(base, next.values());
        } catch (ConfigException e) {
            return new Outcome(Result.INVALID, e.problems(), null);
        }
        if (drop) store.delete(entry.section(), entry.name());
        else store.put(entry);
        RuntimeConfigStore.Entry before = runtime.get(key);
        if (drop) runtime.remove(key);
        else runtime.put(key, entry);
        try {
            return new Outcome(Result.APPLIED, List.of(), gateway.get().reload(c));
        } catch (RuntimeException e) {
            // validated but could not be made live (e.g. a provider's transport): put the layer back as it was
            if (before != null) {
                runtime.put(key, before);
                store.put(before);
            } else {
                runtime.remove(key);
                store.delete(entry.section(), entry.name());
            }
            throw e;
        }
    }

    @Override
    public synchronized List<RuntimeConfigStore.Entry> entries() {
        return List.copyOf(runtime.values());
    }

    /** The section of the effective (merged) tree, never null. */
    private JsonNode effective(String section) {
        try {
            JsonNode s = section(merge(base, runtime.values()), section);
            return s == null ? JSON.createObjectNode() : s;
        } catch (ConfigException e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode section(JsonNode root, String section) {
        if (root == null) return null;
        JsonNode s = section.equals("pricing") ? root.path("pricing").path("overrides") : root.path(section);
        return s.isObject() ? s : null;
    }
}
