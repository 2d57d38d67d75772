package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.accounting.Budgets;
import dev.switchyard.auth.Budget;
import dev.switchyard.auth.KeyDirectory;
import dev.switchyard.auth.KeyMetadata;
import dev.switchyard.auth.KeySecrets;
import dev.switchyard.auth.VirtualKey;
import dev.switchyard.config.ClientKeyConfig;
import dev.switchyard.model.ApiError;
import dev.switchyard.store.AuditLog;
import dev.switchyard.store.KeyStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The key admin API: {@code POST /admin/keys} (create; the secret is in this one answer only), {@code GET /admin/keys},
 * {@code GET /admin/keys/{id}} (by id, or by name), {@code PATCH /admin/keys/{id}}, {@code POST /admin/keys/{id}/revoke}
 * (also {@code DELETE /admin/keys/{id}}: the key stops working at once; its record stays for usage history).
 * Static keys from the config file are listed too, read-only. Every change is persisted first, then applied to the
 * in-memory index the front authenticates with, then audited, then answered.
 */
public final class KeysApi implements RouteMount {
    /** A key as the API shows it, static or runtime. Never holds a secret or its digest. */
    private record View(String id, String name, String source, String prefix, String status, List<String> models, Budget budget,
            Integer rpm, Integer tpm, KeyMetadata metadata, Long createdAt, Long updatedAt, Long expiresAt, Long revokedAt) {}

    private final KeyStore store;
    private final KeyDirectory directory;
    private final Budgets budgets;
    private final AuditLog audit;
    /** Serialises changes: each is a read-modify-write of one key, checked against every name. */
    private final Object lock = new Object();

    /** @param budgets for each key's current spend; null when budgets are not tracked */
    public KeysApi(KeyStore store, KeyDirectory directory, Budgets budgets, AuditLog audit) {
        this.store = store;
        this.directory = directory;
        this.budgets = budgets;
        this.audit = audit;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        AdminGuard guard = new AdminGuard(state);
        router.post("/admin/keys").handler(guard).handler(ctx -> AdminAction.readJson(ctx, state, body -> create(ctx, state, body)));
        router.get("/admin/keys").handler(guard).handler(ctx -> list(ctx, state));
        router.get("/admin/keys/:id").handler(guard).handler(ctx -> get(ctx, state));
        router.patch("/admin/keys/:id").handler(guard).handler(ctx -> AdminAction.readJson(ctx, state, body -> update(ctx, state, body)));
        router.post("/admin/keys/:id/revoke").handler(guard).handler(ctx -> revoke(ctx, state));
        router.delete("/admin/keys/:id").handler(guard).handler(ctx -> revoke(ctx, state));
    }

    private void create(RoutingContext ctx, Supplier<FrontState> state, JsonNode body) {
        AdminAction.run(ctx, audit, "key.create", null, () -> {
            long now = System.currentTimeMillis();
            synchronized (lock) {
                KeySecrets.Generated gen = KeySecrets.generate();
                while (directory.byId(gen.id()).isPresent()) gen = KeySecrets.generate(); // 32-bit ids: a clash is rare, not impossible
                VirtualKey k = KeyRequest.create(body, gen.id(), gen.digestHex(), now);
                if (staticKey(state, k.name()) != null || directory.byName(k.name()).isPresent()) {
                    throw new AdminAction.Refused(new ApiError(409, "invalid_request_error", "key_name_taken", "name",
                            "A key named '" + k.name() + "' already exists (names are never reused, even after revocation)."));
                }
                store.insert(k);
                directory.put(k);
                View v = view(k, now);
                String secret = gen.secret();
                return new AdminAction.Done(201, g -> {
                    g.writeStartObject();
                    writeFields(g, v);
                    g.writeStringField("key", secret); // the only time the secret is shown
                    g.writeStringField("note", "Store this key now: it is shown only once.");
                    g.writeEndObject();
                }, k.id(), "created key '" + k.name() + "' " + describe(v));
            }
        });
    }

    private void list(RoutingContext ctx, Supplier<FrontState> state) {
        long now = System.currentTimeMillis();
        String status = ctx.queryParams().get("status");
        if (status != null && !List.of("active", "revoked", "expired").contains(status)) {
            AdminGuard.fail(ctx, new ApiError(400, "invalid_request_error", "invalid_parameter", "status",
                    "'" + status + "' is not a valid status: use active, revoked or expired."));
            return;
        }
        List<View> all = new ArrayList<>();
        for (ClientKeyConfig k : state.get().config().auth().keys()) all.add(view(k));
        for (VirtualKey k : directory.all()) all.add(view(k, now));
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (View v : all) {
                if (status != null && !status.equals(v.status())) continue;
                g.writeStartObject();
                writeFields(g, v);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void get(RoutingContext ctx, Supplier<FrontState> state) {
        String id = ctx.pathParam("id");
        View v = find(state, id, System.currentTimeMillis());
        if (v == null) {
            AdminGuard.fail(ctx, notFound(id));
            return;
        }
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            writeFields(g, v);
            g.writeEndObject();
        });
    }

    private void update(RoutingContext ctx, Supplier<FrontState> state, JsonNode body) {
        String id = ctx.pathParam("id");
        AdminAction.run(ctx, audit, "key.update", id, () -> {
            synchronized (lock) {
                VirtualKey k = runtimeKey(state, id);
                if (k.revokedAt() != null) {
                    throw new AdminAction.Refused(new ApiError(409, "invalid_request_error", "key_revoked", null,
                            "Key '" + k.name() + "' is revoked; a revoked key cannot change. Create a new key instead."));
                }
                long now = System.currentTimeMillis();
                VirtualKey next = KeyRequest.update(body, k, now);
                store.update(next);
                directory.put(next);
                View v = view(next, now);
                List<String> fields = new ArrayList<>();
                body.fieldNames().forEachRemaining(fields::add);
                return new AdminAction.Done(200, g -> {
                    g.writeStartObject();
                    writeFields(g, v);
                    g.writeEndObject();
                }, k.id(), "updated key '" + k.name() + "' (" + String.join(", ", fields) + "): " + describe(v));
            }
        });
    }

    private void revoke(RoutingContext ctx, Supplier<FrontState> state) {
        String id = ctx.pathParam("id");
        AdminAction.run(ctx, audit, "key.revoke", id, () -> {
            synchronized (lock) {
                VirtualKey k = runtimeKey(state, id);
                long now = System.currentTimeMillis();
                VirtualKey next = k;
                if (k.revokedAt() == null) {
                    next = new VirtualKey(k.id(), k.name(), k.digestHex(), k.models(), k.budget(), k.rpm(), k.tpm(), k.metadata(),
                            k.createdAt(), now, k.expiresAt(), now);
                    store.update(next);
                    directory.put(next); // from here on the key authenticates nobody
                }
                View v = view(next, now);
                return new AdminAction.Done(200, g -> {
                    g.writeStartObject();
                    writeFields(g, v);
                    g.writeEndObject();
                }, k.id(), k.revokedAt() == null ? "revoked key '" + k.name() + "'" : "key '" + k.name() + "' was already revoked");
            }
        });
    }

    /** The runtime key with this id or name; a static key or none is a refusal. */
    private VirtualKey runtimeKey(Supplier<FrontState> state, String idOrName) throws AdminAction.Refused {
        VirtualKey k = directory.byId(idOrName).or(() -> directory.byName(idOrName)).orElse(null);
        if (k != null) return k;
        if (staticKey(state, idOrName) != null) {
            throw new AdminAction.Refused(new ApiError(409, "invalid_request_error", "key_read_only", null, "Key '" + idOrName
                    + "' is defined in the configuration file (auth.keys); change it there and reload."));
        }
        throw new AdminAction.Refused(notFound(idOrName));
    }

    private View find(Supplier<FrontState> state, String idOrName, long now) {
        VirtualKey k = directory.byId(idOrName).or(() -> directory.byName(idOrName)).orElse(null);
        if (k != null) return view(k, now);
        ClientKeyConfig c = staticKey(state, idOrName);
        return c == null ? null : view(c);
    }

    private static ClientKeyConfig staticKey(Supplier<FrontState> state, String name) {
        for (ClientKeyConfig k : state.get().config().auth().keys()) if (k.name().equals(name)) return k;
        return null;
    }

    private static ApiError notFound(String id) {
        return new ApiError(404, "invalid_request_error", "key_not_found", "id", "No key with id or name '" + id + "'.");
    }

    private static View view(VirtualKey k, long now) {
        return new View(k.id(), k.name(), "runtime", k.displayPrefix(), k.status(now), k.models(), k.budget(), k.rpm(), k.tpm(),
                k.metadata(), k.createdAt(), k.updatedAt(), k.expiresAt(), k.revokedAt());
    }

    private static View view(ClientKeyConfig k) {
        return new View(null, k.name(), "config", null, "active", k.models(), Budget.ofUsd(k.usdPerDay(), k.usdPerMonth(), k.usdTotal()),
                k.rpm(), k.tpm(), new KeyMetadata(k.team(), k.user(), k.tags()), null, null, null, null);
    }

    private void writeFields(JsonGenerator g, View v) throws IOException {
        g.writeStringField("object", "key");
        g.writeStringField("id", v.id());
        g.writeStringField("name", v.name());
        g.writeStringField("source", v.source());
        g.writeBooleanField("read_only", v.source().equals("config"));
        g.writeStringField("prefix", v.prefix());
        g.writeStringField("status", v.status());
        g.writeArrayFieldStart("models");
        for (String m : v.models()) g.writeString(m);
        g.writeEndArray();
        g.writeObjectFieldStart("budget");
        usd(g, "usd_per_day", v.budget().perDay());
        usd(g, "usd_per_month", v.budget().perMonth());
        usd(g, "usd_total", v.budget().total());
        g.writeEndObject();
        g.writeObjectFieldStart("limits");
        integer(g, "rpm", v.rpm());
        integer(g, "tpm", v.tpm());
        g.writeEndObject();
        g.writeObjectFieldStart("metadata");
        g.writeStringField("team", v.metadata().team());
        g.writeStringField("user", v.metadata().user());
        g.writeArrayFieldStart("tags");
        for (String t : v.metadata().tags()) g.writeString(t);
        g.writeEndArray();
        g.writeEndObject();
        time(g, "created_at", v.createdAt());
        time(g, "updated_at", v.updatedAt());
        time(g, "expires_at", v.expiresAt());
        time(g, "revoked_at", v.revokedAt());
        if (budgets != null) {
            Budgets.Spent s = budgets.spent(v.name());
            g.writeObjectFieldStart("spend");
            usd(g, "today_usd", s.today());
            usd(g, "this_month_usd", s.thisMonth());
            usd(g, "total_usd", s.total());
            usd(g, "reserved_usd", s.reserved());
            g.writeEndObject();
        }
    }

    private static String describe(View v) {
        return "models=" + v.models() + " budget(day/month/total)=" + usd(v.budget().perDay()) + "/" + usd(v.budget().perMonth())
                + "/" + usd(v.budget().total()) + " limits(rpm/tpm)=" + v.rpm() + "/" + v.tpm()
                + " expires_at=" + (v.expiresAt() == null ? "never" : Instant.ofEpochMilli(v.expiresAt()).toString());
    }

    private static String usd(Long nanos) {
        return nanos == null ? "-" : "$" + Budget.usd(nanos);
    }

    private static void usd(JsonGenerator g, String name, Long nanos) throws IOException {
        if (nanos == null) g.writeNullField(name);
        else {
            g.writeFieldName(name);
            g.writeNumber(Budget.usd(nanos)); // plain decimal, never 1E+1
        }
    }

    private static void integer(JsonGenerator g, String name, Integer v) throws IOException {
        if (v == null) g.writeNullField(name);
        else g.writeNumberField(name, v);
    }

    private static void time(JsonGenerator g, String name, Long millis) throws IOException {
        if (millis == null) g.writeNullField(name);
        else g.writeStringField(name, Instant.ofEpochMilli(millis).toString());
    }
}
