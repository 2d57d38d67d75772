package dev.switchyard.routing;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ModelRoute;
import dev.switchyard.config.TargetRef;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resolves what a client asked for — a public name, {@code provider/model}, or a {@code models} list — to a plan. */
public final class ModelCatalog {
    /** A name listed by {@code GET /v1/models}. */
    public record Listing(String id, String ownedBy, boolean simulated) {}

    private final Map<String, RoutePlan> plans = new LinkedHashMap<>();
    private final Map<String, ProviderRuntime> providers;
    private final boolean allowDirect;
    private final List<Listing> listings = new ArrayList<>();
    private final Map<String, Listing> listingById = new LinkedHashMap<>();

    public ModelCatalog(GatewayConfig config, Map<String, ProviderRuntime> providers) {
        this.providers = providers;
        this.allowDirect = config.routing().allowDirect();
        for (ModelRoute route : config.models().values()) {
            List<Target> targets = new ArrayList<>(route.targets().size());
            boolean allSimulated = true;
            for (TargetRef ref : route.targets()) {
                ProviderRuntime p = providers.get(ref.provider());
                targets.add(new Target(ref.id(), p, ref.model(), ref.weight(), route.timeouts().orElse(p.timeouts())));
                allSimulated &= p.adapter().capabilities().simulated();
            }
            plans.put(route.name(), new RoutePlan(route.name(), List.copyOf(targets), route.retries(), route.backoff(),
                    route.strategy(), route.hedge(), route.failoverOnContentFilter(), route.deadline()));
            list(new Listing(route.name(), "switchyard", allSimulated));
        }
        if (allowDirect) {
            for (ModelRoute route : config.models().values()) {
                for (TargetRef ref : route.targets()) {
                    ProviderRuntime p = providers.get(ref.provider());
                    list(new Listing(ref.id(), ref.provider(), p.adapter().capabilities().simulated()));
                }
            }
        }
    }

    private void list(Listing l) {
        if (listingById.putIfAbsent(l.id(), l) == null) listings.add(l);
    }

    public List<Listing> listings() {
        return listings;
    }

    public Listing listing(String id) {
        return listingById.get(id);
    }

    /** The live runtime of a configured provider, or null. */
    public ProviderRuntime runtime(String provider) {
        return providers.get(provider);
    }

    public Map<String, RoutePlan> plans() {
        return plans;
    }

    /** @throws dev.switchyard.model.ApiException 404 when nothing matches */
    public RoutePlan plan(InboundRequest req) {
        if (req.modelsOverride().isEmpty()) return resolve(req.model(), "model");
        List<Target> targets = new ArrayList<>();
        RoutePlan first = null;
        for (String name : req.modelsOverride()) {
            RoutePlan p = resolve(name, "models");
            if (first == null) first = p;
            for (Target t : p.targets()) if (!targets.contains(t)) targets.add(t);
        }
        return new RoutePlan(req.model(), List.copyOf(targets), first.retries(), first.backoff(), ModelRoute.Strategy.PRIORITY,
                first.hedge(), first.failoverOnContentFilter(), first.deadline());
    }

    private RoutePlan resolve(String name, String param) {
        RoutePlan plan = plans.get(name);
        if (plan != null) return plan;
        int slash = name.indexOf('/');
        if (allowDirect && slash > 0) {
            ProviderRuntime p = providers.get(name.substring(0, slash));
            if (p != null) {
                Target t = new Target(name, p, name.substring(slash + 1), 1, p.timeouts());
                return new RoutePlan(name, List.of(t), 0, Duration.ofMillis(200), ModelRoute.Strategy.PRIORITY);
            }
        }
        String hint = slash > 0 && !allowDirect
                ? " Direct provider/model addressing is off (routing.allow_direct)."
                : "";
        throw new ApiError(404, "invalid_request_error", "model_not_found", param,
                "The model '" + name + "' does not exist or you do not have access to it." + hint
                        + " List the available models with GET /v1/models.").exception();
    }

    /** For building runtimes: the timeouts a provider uses when a route does not override them. */
    public static Timeouts providerTimeouts(Timeouts provider) {
        return provider.orElse(Timeouts.DEFAULTS);
    }
}
