package dev.switchyard.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration into a {@link GatewayConfig}, collecting every problem with its exact
 * path before failing, so an operator fixes a file in one round instead of ten.
 */
public final class ConfigLoader {
    // Duplicate keys would otherwise be resolved silently (the last one wins): a second provider with the
    // same name must be an error, not a quiet replacement of the first. (The builder does not carry the
    // factory's default of reading an empty value as null, so it is set again here.)
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build());
    private static final Pattern HEDGE_PERCENTILE = Pattern.compile("p(50|75|90|95|99)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final ProviderTypes types;
    private final Function<String, String> env;
    private final BooleanSupplier runtimeKeys;

    public ConfigLoader(ProviderTypes types, Function<String, String> env) {
        this(types, env, () -> false);
    }

    /**
     * @param runtimeKeys whether active client keys exist in the store (created through the admin API): they count
     *                    for the rule that a gateway without client keys refuses to start unless anonymous access is on
     */
    public ConfigLoader(ProviderTypes types, Function<String, String> env, BooleanSupplier runtimeKeys) {
        this.types = types;
        this.env = env;
        this.runtimeKeys = runtimeKeys;
    }

    /** The same rules, counting the store's client keys too. */
    public ConfigLoader withRuntimeKeys(BooleanSupplier runtimeKeys) {
        return new ConfigLoader(types, env, runtimeKeys);
    }

    public GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the file (" + e.getMessage() + ")"));
        }
        return parse(text, file.toString());
    }

    public GatewayConfig parse(String yaml, String sourceName) throws ConfigException {
        return parse(tree(yaml, sourceName));
    }

    /** The YAML as a tree, for layering runtime changes over it before {@link #parse(JsonNode)}. */
    public static JsonNode tree(String yaml, String sourceName) throws ConfigException {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(List.of(sourceName + ": not valid YAML: " + YamlErrors.describe(e)));
        }
    }

    /** Reads the file as a tree (see {@link #tree(String, String)}). */
    public static JsonNode tree(Path file) throws ConfigException {
        try {
            return tree(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the file (" + e.getMessage() + ")"));
        }
    }

    /** Validates a configuration tree (YAML or JSON, e.g. the file with runtime changes layered over it). */
    public GatewayConfig parse(JsonNode root) throws ConfigException {
        ConfigNode.Problems problems = new ConfigNode.Problems(env);
        ConfigNode top = new ConfigNode(root, "", problems);
        if (root == null || !root.isObject()) {
            problems.add("", "the file must be a YAML mapping with at least 'providers' and 'models'");
            throw new ConfigException(problems.list());
        }
        top.allowOnly(Set.of("server", "auth", "providers", "models", "routing", "pricing", "store", "observability"));

        GatewayConfig.Server server = server(top.get("server"));
        Map<String, ProviderConfig> providers = providers(top.get("providers"));
        Map<String, ModelRoute> models = models(top.get("models"), providers);
        GatewayConfig.Auth auth = AuthSection.read(top.get("auth"), runtimeKeys);
        GatewayConfig.Routing routing = routing(top.get("routing"));
        Map<String, GatewayConfig.PriceOverride> prices = pricing(top.get("pricing"));
        GatewayConfig.Store store = store(top.get("store"));
        ConfigNode obs = top.get("observability");
        String otlp = null;
        boolean metricsPublic = false;
        if (obs.expectObject()) {
            obs.allowOnly(Set.of("otlp_endpoint", "metrics_public"));
            otlp = obs.string("otlp_endpoint", null);
            if (otlp != null) {
                otlp = stripSlash(otlp);
                checkUrl(obs.get("otlp_endpoint"), otlp);
            }
            metricsPublic = obs.bool("metrics_public", false);
        }
        if (!problems.list().isEmpty()) throw new ConfigException(problems.list());
        return new GatewayConfig(server, auth, providers, models, routing, prices, store, otlp, metricsPublic);
    }

    /**
     * Only the {@code store} section, for opening the store before the whole configuration can be validated (runtime
     * changes kept in the store are part of what is validated).
     */
    public GatewayConfig.Store store(JsonNode root) throws ConfigException {
        ConfigNode.Problems problems = new ConfigNode.Problems(env);
        GatewayConfig.Store s = store(new ConfigNode(root, "", problems).get("store"));
        if (!problems.list().isEmpty()) throw new ConfigException(problems.list());
        return s;
    }

    private GatewayConfig.Server server(ConfigNode n) {
        if (!n.present()) return new GatewayConfig.Server("127.0.0.1", 8080, 10L * 1024 * 1024, Duration.ofSeconds(20));
        n.expectObject();
        n.allowOnly(Set.of("host", "port", "max_body_bytes", "shutdown_grace", "cors"));
        List<String> origins = List.of();
        ConfigNode cors = n.get("cors");
        if (cors.expectObject()) {
            cors.allowOnly(Set.of("allowed_origins"));
            origins = cors.strings("allowed_origins");
            for (int i = 0; i < origins.size(); i++) {
                String o = origins.get(i);
                if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
                    cors.get("allowed_origins").problem("'" + o + "' is not an origin: write scheme://host[:port] "
                            + "(e.g. https://app.example.com) or \"*\"");
                }
            }
        }
        return new GatewayConfig.Server(
                n.string("host", "127.0.0.1"),
                n.integer("port", 8080, 0, 65535),
                n.bytes("max_body_bytes", 10L * 1024 * 1024),
                n.duration("shutdown_grace", Duration.ofSeconds(20)),
                List.copyOf(origins));
    }

    private Map<String, ProviderConfig> providers(ConfigNode n) {
        Map<String, ProviderConfig> out = new LinkedHashMap<>();
        if (!n.present()) {
            n.problem("is required: declare at least one provider (type: simulated works without keys)");
            return out;
        }
        for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
            String name = e.getKey();
            ConfigNode p = e.getValue();
            if (!NAME.matcher(name).matches()) p.problem("provider names may use letters, digits, '.', '_' and '-' only");
            if (!p.expectObject()) {
                if (!p.present()) p.problem("is empty: give it at least a 'type'");
                continue;
            }
            p.allowOnly(Set.of("type", "base_url", "api_key", "timeouts", "headers", "options", "ca_file",
                    "max_connections", "max_concurrency", "simulate", "api_version", "limits"));
            String type = p.requiredString("type");
            if (type != null && !types.names().contains(type)) {
                p.get("type").problem("unknown provider type '" + type + "' (known: " + String.join(", ", types.names()) + ")");
                type = null;
            }
            String baseUrl = p.string("base_url", null);
            if (baseUrl != null) {
                baseUrl = stripSlash(baseUrl);
                checkUrl(p.get("base_url"), baseUrl);
            } else if (type != null && types.needsBaseUrl(type)) {
                p.get("base_url").problem("is required for type '" + type + "'");
            }
            Secret key = p.secret("api_key");
            if (key == null && type != null && types.needsApiKey(type) && !p.has("api_key")) {
                p.get("api_key").problem("is required for type '" + type + "' (use env:NAME to read it from the environment)");
            }
            Map<String, String> headers = stringMap(p.get("headers"));
            Map<String, String> options = stringMap(p.get("options"));
            if (p.has("api_version")) options.put("api_version", p.string("api_version", null));
            String ca = p.string("ca_file", null);
            Path caFile = null;
            if (ca != null) {
                caFile = Path.of(ca);
                if (!Files.isReadable(caFile)) p.get("ca_file").problem("cannot read '" + ca + "'");
            }
            SimulationSpec sim = "simulated".equals(type) ? simulation(p.get("simulate")) : null;
            if (type != null && !"simulated".equals(type) && p.has("simulate")) p.get("simulate").problem("only applies to type 'simulated'");
            out.put(name, new ProviderConfig(name, type, baseUrl, key, Timeouts.read(p.get("timeouts")),
                    headers, options, caFile, p.integer("max_connections", 256, 1, 100_000),
                    p.integer("max_concurrency", 0, 0, 1_000_000), sim, rateCap(p.get("limits"))));
        }
        if (out.isEmpty() && n.present()) n.problem("declare at least one provider");
        return out;
    }

    private static ProviderConfig.RateCap rateCap(ConfigNode n) {
        if (!n.expectObject()) return ProviderConfig.RateCap.NONE;
        n.allowOnly(Set.of("rpm", "tpm"));
        return new ProviderConfig.RateCap(n.integer("rpm", 0, 1, Integer.MAX_VALUE), n.integer("tpm", 0, 1, Integer.MAX_VALUE));
    }

    private SimulationSpec simulation(ConfigNode n) {
        SimulationSpec d = SimulationSpec.DEFAULT;
        if (!n.expectObject()) return d;
        n.allowOnly(Set.of("first_token", "tokens_per_second", "output_tokens", "failure_rate", "failure", "failure_status"));
        SimulationSpec.Failure failure = d.failure();
        String f = n.string("failure", null);
        if (f != null) {
            try {
                failure = SimulationSpec.Failure.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException ex) {
                n.get("failure").problem("'" + f + "' is not one of status, hang, drop, drop_mid_stream");
            }
        }
        return new SimulationSpec(
                n.duration("first_token", d.firstToken()),
                n.number("tokens_per_second", d.tokensPerSecond(), 0, 1_000_000),
                n.integer("output_tokens", d.outputTokens(), 1, 100_000),
                n.number("failure_rate", d.failureRate(), 0, 1),
                failure,
                n.integer("failure_status", d.failureStatus(), 400, 599));
    }

    private Map<String, ModelRoute> models(ConfigNode n, Map<String, ProviderConfig> providers) {
        Map<String, ModelRoute> out = new LinkedHashMap<>();
        if (!n.present()) {
            n.problem("is required: declare at least one public model with its targets");
            return out;
        }
        for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
            String name = e.getKey();
            ConfigNode m = e.getValue();
            if (!m.expectObject()) {
                if (!m.present()) m.problem("is empty: give it 'targets'");
                continue;
            }
            m.allowOnly(Set.of("targets", "strategy", "timeouts", "retries", "hedge", "description", "on_content_filter", "deadline"));
            ModelRoute.Strategy strategy = ModelRoute.Strategy.PRIORITY;
            String s = m.string("strategy", null);
            if (s != null) {
                try {
                    strategy = ModelRoute.Strategy.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
                } catch (IllegalArgumentException ex) {
                    m.get("strategy").problem("'" + s + "' is not one of priority, weighted, least-latency, lowest-cost");
                }
            }
            List<TargetRef> targets = new ArrayList<>();
            ConfigNode tn = m.get("targets");
            if (!tn.present()) tn.problem("is required: list at least one provider/model");
            for (ConfigNode t : tn.elements()) {
                TargetRef ref = target(t, providers);
                if (ref != null) targets.add(ref);
            }
            if (tn.present() && tn.raw().isArray() && tn.raw().isEmpty()) tn.problem("must list at least one provider/model");
            int retries = 0;
            Duration backoff = Duration.ofMillis(200);
            ConfigNode r = m.get("retries");
            if (r.expectObject()) {
                r.allowOnly(Set.of("attempts", "backoff"));
                retries = r.integer("attempts", 0, 0, 10);
                backoff = r.duration("backoff", backoff);
            }
            String hedge = null;
            ConfigNode h = m.get("hedge");
            if (h.expectObject()) {
                h.allowOnly(Set.of("after"));
                hedge = h.requiredString("after");
                if (hedge != null && !HEDGE_PERCENTILE.matcher(hedge).matches() && Sizes.duration(hedge) == null) {
                    h.get("after").problem("'" + hedge + "' is neither a duration (300ms) nor a percentile (p50, p75, p90, p95, p99)");
                }
            }
            String onFilter = m.string("on_content_filter", "return");
            if (!onFilter.equals("return") && !onFilter.equals("failover")) {
                m.get("on_content_filter").problem("'" + onFilter + "' is not one of return, failover");
            }
            out.put(name, new ModelRoute(name, strategy, List.copyOf(targets), Timeouts.read(m.get("timeouts")), retries, backoff,
                    hedge, onFilter.equals("failover"), m.duration("deadline", null)));
        }
        if (n.raw().isObject() && n.raw().isEmpty()) n.problem("declare at least one public model with its targets");
        return out;
    }

    private TargetRef target(ConfigNode t, Map<String, ProviderConfig> providers) {
        String spec;
        int weight = 1;
        if (t.raw().isObject()) {
            t.allowOnly(Set.of("target", "weight"));
            spec = t.requiredString("target");
            weight = t.integer("weight", 1, 0, 1_000_000);
            t = t.get("target");
        } else {
            spec = t.text();
        }
        if (spec == null) return null;
        int slash = spec.indexOf('/');
        if (slash <= 0 || slash == spec.length() - 1) {
            t.problem("'" + spec + "' must be provider/upstream-model, e.g. openai/gpt-4o-mini");
            return null;
        }
        String provider = spec.substring(0, slash);
        if (!providers.containsKey(provider)) {
            t.problem("unknown provider '" + provider + "'" + Suggestions.suggest(provider, providers.keySet()));
            return null;
        }
        return new TargetRef(provider, spec.substring(slash + 1), weight);
    }

    private GatewayConfig.Routing routing(ConfigNode n) {
        if (!n.expectObject()) return GatewayConfig.Routing.DEFAULT;
        n.allowOnly(Set.of("allow_direct", "when_all_down", "deadline", "breaker", "cooldown"));
        Duration wait = Duration.ZERO;
        ConfigNode w = n.get("when_all_down");
        if (w.expectObject()) {
            w.allowOnly(Set.of("wait_up_to"));
            wait = w.duration("wait_up_to", Duration.ZERO);
        }
        GatewayConfig.Breaker d = GatewayConfig.Breaker.DEFAULT;
        GatewayConfig.Breaker breaker = d;
        ConfigNode b = n.get("breaker");
        if (b.expectObject()) {
            b.allowOnly(Set.of("consecutive_failures", "error_rate", "window", "open_for", "max_open_for"));
            breaker = new GatewayConfig.Breaker(b.integer("consecutive_failures", d.consecutiveFailures(), 1, 1000),
                    b.number("error_rate", d.errorRate(), 0.01, 1), b.integer("window", d.window(), 1, 10_000),
                    b.duration("open_for", d.openFor()), b.duration("max_open_for", d.maxOpenFor()));
        }
        return new GatewayConfig.Routing(n.bool("allow_direct", false), wait,
                n.duration("deadline", GatewayConfig.Routing.DEFAULT.deadline()), breaker,
                n.duration("cooldown", GatewayConfig.Routing.DEFAULT.cooldown()));
    }

    private Map<String, GatewayConfig.PriceOverride> pricing(ConfigNode n) {
        Map<String, GatewayConfig.PriceOverride> out = new LinkedHashMap<>();
        if (!n.expectObject()) return out;
        n.allowOnly(Set.of("overrides"));
        for (Map.Entry<String, ConfigNode> e : n.get("overrides").entries().entrySet()) {
            ConfigNode p = e.getValue();
            if (!p.expectObject()) continue;
            if (!e.getKey().contains("/")) p.problem("price overrides are keyed by provider/upstream-model");
            p.allowOnly(Set.of("input_per_mtok", "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok"));
            out.put(e.getKey(), new GatewayConfig.PriceOverride(optionalNumber(p, "input_per_mtok"),
                    optionalNumber(p, "output_per_mtok"), optionalNumber(p, "cache_read_per_mtok"),
                    optionalNumber(p, "cache_write_per_mtok")));
        }
        return out;
    }

    private GatewayConfig.Store store(ConfigNode n) {
        if (!n.expectObject()) return new GatewayConfig.Store("sqlite:./data/switchyard.db", Duration.ofDays(30));
        n.allowOnly(Set.of("url", "retention"));
        String url = n.string("url", "sqlite:./data/switchyard.db");
        if (!url.startsWith("sqlite:") && !url.startsWith("postgresql:") && !url.startsWith("postgres:")) {
            n.get("url").problem("'" + url + "' must start with sqlite: or postgresql://");
        }
        return new GatewayConfig.Store(url, n.duration("retention", Duration.ofDays(30)));
    }

    static Double optionalNumber(ConfigNode n, String key) {
        return n.has(key) ? n.number(key, 0, 0, Double.MAX_VALUE) : null;
    }

    private static Map<String, String> stringMap(ConfigNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
            String v = e.getValue().text();
            if (v != null) out.put(e.getKey(), v);
        }
        return out;
    }

    private static void checkUrl(ConfigNode n, String url) {
        try {
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                n.problem("'" + url + "' must be an http:// or https:// URL with a host");
            }
        } catch (IllegalArgumentException e) {
            n.problem("'" + url + "' is not a valid URL");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
