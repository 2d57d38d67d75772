package dev.switchyard.provider;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.ProviderTypes;
import dev.switchyard.config.Timeouts;
import dev.switchyard.provider.anthropic.AnthropicAdapter;
import dev.switchyard.provider.compat.CompatAdapter;
import dev.switchyard.provider.compat.CompatPresets;
import dev.switchyard.provider.compat.CompatSpec;
import dev.switchyard.provider.simulated.SimulatedTransport;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Every provider type the gateway can serve; native adapters register here beside the compat family. */
public final class ProviderRegistry implements ProviderTypes {
    private final Map<String, ProviderType> types = new LinkedHashMap<>();

    /** Every built-in type; adapters that need per-model limits get none (tests, validation). */
    public static ProviderRegistry standard() {
        return standard((type, model) -> java.util.OptionalInt.empty());
    }

    /**
     * Every built-in type.
     *
     * @param maxOutputTokens a model's maximum output tokens by provider type and upstream model (the price
     *                        catalog's), for adapters whose API requires a limit on every request
     */
    public static ProviderRegistry standard(java.util.function.BiFunction<String, String, java.util.OptionalInt> maxOutputTokens) {
        ProviderRegistry r = new ProviderRegistry();
        for (CompatSpec spec : CompatPresets.all().values()) {
            CompatAdapter shared = new CompatAdapter(spec, false);
            r.register(new ProviderType(spec.type(), spec.needsKey(), spec.defaultBaseUrl(), false, p -> shared));
        }
        // One adapter per configured provider: it holds the provider's parsed options.
        r.register(new ProviderType(AnthropicAdapter.TYPE, true, AnthropicAdapter.DEFAULT_BASE_URL, false,
                p -> new AnthropicAdapter(p, model -> maxOutputTokens.apply(AnthropicAdapter.TYPE, model))));
        CompatAdapter sim = new CompatAdapter(CompatSpec.plain("simulated", "http://simulated.invalid/v1",
                CompatSpec.Auth.OPTIONAL_BEARER, CompatSpec.StreamUsage.ASK), true);
        r.register(new ProviderType("simulated", false, "http://simulated.invalid/v1", true, p -> sim));
        r.register(dev.switchyard.provider.gemini.GeminiAdapter.type());
        r.register(dev.switchyard.provider.azure.AzureAdapter.type());
        return r;
    }

    public void register(ProviderType type) {
        types.put(type.name(), type);
    }

    public ProviderType type(String name) {
        ProviderType t = types.get(name);
        if (t == null) throw new IllegalArgumentException("unknown provider type " + name);
        return t;
    }

    public ProviderAdapter adapter(ProviderConfig provider) {
        return type(provider.type()).adapter().apply(provider);
    }

    public UpstreamTransport transport(Vertx vertx, ProviderConfig provider, Timeouts timeouts, Function<String, String> env) {
        ProviderType t = type(provider.type());
        if (t.simulated()) return new SimulatedTransport(vertx, provider);
        String base = provider.baseUrl() != null ? provider.baseUrl() : t.defaultBaseUrl();
        return new HttpTransport(vertx, provider, base, timeouts, env);
    }

    @Override
    public Set<String> names() {
        return types.keySet();
    }

    @Override
    public boolean needsApiKey(String type) {
        ProviderType t = types.get(type);
        return t != null && t.needsApiKey();
    }

    @Override
    public boolean needsBaseUrl(String type) {
        ProviderType t = types.get(type);
        return t != null && t.defaultBaseUrl() == null;
    }
}
