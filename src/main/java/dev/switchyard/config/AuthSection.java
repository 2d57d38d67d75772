package dev.switchyard.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Reads {@code auth}: the admin key, static client keys with their models, budgets, limits and metadata. */
final class AuthSection {
    private AuthSection() {}

    /** @param runtimeKeys whether active keys created through the admin API exist: they count as client keys */
    static GatewayConfig.Auth read(ConfigNode n, BooleanSupplier runtimeKeys) {
        List<ClientKeyConfig> keys = new ArrayList<>();
        if (!n.present()) {
            if (!runtimeKeys.getAsBoolean()) n.problem("is required: add auth.keys (client keys) or set auth.allow_anonymous: true");
            return new GatewayConfig.Auth(null, keys, false);
        }
        n.expectObject();
        n.allowOnly(Set.of("admin_key", "keys", "allow_anonymous"));
        Secret admin = n.secret("admin_key");
        boolean anonymous = n.bool("allow_anonymous", false);
        Set<String> names = new HashSet<>();
        for (ConfigNode k : n.get("keys").elements()) {
            if (!k.expectObject()) continue;
            k.allowOnly(Set.of("name", "key", "models", "budget", "limits", "metadata"));
            String name = k.requiredString("name");
            if (name != null && !names.add(name)) k.get("name").problem("duplicate key name '" + name + "'");
            Secret key = k.secret("key");
            if (key == null && !k.has("key")) k.get("key").problem("is required (use env:NAME to keep it out of the file)");
            if (key != null && admin != null && key.reveal().equals(admin.reveal())) {
                k.get("key").problem("must differ from auth.admin_key: client and admin keys are never interchangeable");
            }
            List<String> models = k.has("models") ? k.strings("models") : List.of("*");
            ConfigNode b = k.get("budget");
            Double day = null, month = null, total = null;
            if (b.expectObject()) {
                b.allowOnly(Set.of("usd_per_day", "usd_per_month", "usd_total"));
                day = ConfigLoader.optionalNumber(b, "usd_per_day");
                month = ConfigLoader.optionalNumber(b, "usd_per_month");
                total = ConfigLoader.optionalNumber(b, "usd_total");
            }
            ConfigNode l = k.get("limits");
            Integer rpm = null, tpm = null;
            if (l.expectObject()) {
                l.allowOnly(Set.of("rpm", "tpm"));
                rpm = l.has("rpm") ? l.integer("rpm", 0, 1, Integer.MAX_VALUE) : null;
                tpm = l.has("tpm") ? l.integer("tpm", 0, 1, Integer.MAX_VALUE) : null;
            }
            ConfigNode m = k.get("metadata");
            String team = null, user = null;
            List<String> tags = List.of();
            if (m.expectObject()) {
                m.allowOnly(Set.of("team", "user", "tags"));
                team = m.string("team", null);
                user = m.string("user", null);
                tags = List.copyOf(m.strings("tags"));
            }
            if (key != null) {
                keys.add(new ClientKeyConfig(name, key, List.copyOf(models), day, month, total, rpm, tpm, team, user, tags));
            }
        }
        ConfigNode kn = n.get("keys");
        // an empty list is no keys at all; keys that failed to load were already reported one by one
        if (!anonymous && (!kn.present() || kn.raw().isArray() && kn.raw().isEmpty()) && !runtimeKeys.getAsBoolean()) {
            n.get("keys").problem("no client keys configured: add auth.keys or set auth.allow_anonymous: true");
        }
        return new GatewayConfig.Auth(admin, List.copyOf(keys), anonymous);
    }
}
