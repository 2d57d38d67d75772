package dev.switchyard.accounting;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ModelRoute;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.TargetRef;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Metric and trace labels taken from the configuration only, so label cardinality stays bounded whatever
 * clients send: a model or target the configuration does not name becomes {@value #OTHER}. Built once per
 * configuration; lookups are plain map reads, safe from any thread.
 */
public final class LabelDirectory {
    public static final String OTHER = "other";
    public static final String NONE = "none";

    /** One configured provider: its name, its type (the GenAI "system") and where it is reached. */
    public record ProviderLabels(String name, String type, String host, int port) {}

    /**
     * One target. Compared by identity: meter caches key on the instance the directory hands out.
     *
     * @param id    {@code provider/model} as configured (or {@code provider/other})
     * @param model the upstream model, or {@value #OTHER} for a directly addressed model the config does not list
     */
    public record TargetLabels(String id, ProviderLabels provider, String model) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private static final ProviderLabels NO_PROVIDER = new ProviderLabels(NONE, NONE, null, -1);
    public static final TargetLabels NO_TARGET = new TargetLabels(NONE, NO_PROVIDER, NONE);
    private static final ProviderLabels OTHER_PROVIDER = new ProviderLabels(OTHER, OTHER, null, -1);
    private static final TargetLabels OTHER_TARGET = new TargetLabels(OTHER, OTHER_PROVIDER, OTHER);

    private final Map<String, String> models = new HashMap<>();
    private final Map<String, ProviderLabels> providers = new HashMap<>();
    private final Map<String, TargetLabels> targets = new HashMap<>();
    /** Per provider, the target that stands for every model the configuration does not list. */
    private final Map<String, TargetLabels> otherTargets = new HashMap<>();

    /** @param defaultBaseUrl a provider type's default base URL (null when it has none) */
    public LabelDirectory(GatewayConfig config, Function<String, String> defaultBaseUrl) {
        for (ProviderConfig p : config.providers().values()) {
            String base = p.baseUrl() != null ? p.baseUrl() : defaultBaseUrl.apply(p.type());
            ProviderLabels labels = withAddress(p.name(), p.type(), base);
            providers.put(p.name(), labels);
            otherTargets.put(p.name(), new TargetLabels(p.name() + "/" + OTHER, labels, OTHER));
        }
        for (ModelRoute route : config.models().values()) {
            models.put(route.name(), route.name());
            for (TargetRef ref : route.targets()) {
                ProviderLabels p = providers.get(ref.provider());
                if (p != null) targets.putIfAbsent(ref.id(), new TargetLabels(ref.id(), p, ref.model()));
            }
        }
        // A configured target addressed directly ("provider/model") is as bounded as a public name.
        for (String id : targets.keySet()) models.putIfAbsent(id, id);
    }

    private static ProviderLabels withAddress(String name, String type, String baseUrl) {
        String host = null;
        int port = -1;
        if (baseUrl != null) {
            try {
                URI u = URI.create(baseUrl);
                host = u.getHost();
                port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            } catch (IllegalArgumentException e) {
                // validated by ConfigLoader; a type default that does not parse just has no address
            }
        }
        return new ProviderLabels(name, type, host, port);
    }

    /** The label for a public model name: itself when configured, else {@value #OTHER}. */
    public String model(String publicModel) {
        if (publicModel == null) return NONE;
        String m = models.get(publicModel);
        return m != null ? m : OTHER;
    }

    /** The labels for a target id; never null ({@link #NO_TARGET} for null). */
    public TargetLabels target(String targetId) {
        if (targetId == null) return NO_TARGET;
        TargetLabels t = targets.get(targetId);
        if (t != null) return t;
        int slash = targetId.indexOf('/');
        TargetLabels other = slash > 0 ? otherTargets.get(targetId.substring(0, slash)) : null;
        return other != null ? other : OTHER_TARGET;
    }

    /** Configured provider names. */
    public Iterable<String> providerNames() {
        return providers.keySet();
    }

    /** Configured public model labels (route names and configured target ids). */
    public Iterable<String> modelLabels() {
        return models.keySet();
    }
}
