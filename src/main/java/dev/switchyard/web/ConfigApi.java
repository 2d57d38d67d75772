package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.store.AuditLog;
import dev.switchyard.store.StoreUrl;
import dev.switchyard.config.Sizes;
import dev.switchyard.model.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code POST /admin/config/reload} (validate the config file and swap it in, or say why not) and
 * {@code GET /admin/config} (the effective configuration, secrets redacted to their source, e.g. {@code env:OPENAI_API_KEY}).
 */
public final class ConfigApi implements RouteMount {
    private static final ObjectMapper REDACTING = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Secret.class, new StdSerializer<>(Secret.class) {
                @Override
                public void serialize(Secret s, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString("<redacted:" + s.source() + ">");
                }
            })
            .addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
                @Override
                public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(Sizes.format(d));
                }
            })
            .addSerializer(Path.class, new StdSerializer<>(Path.class) {
                @Override
                public void serialize(Path v, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(v.toString());
                }
            }))
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private final ConfigControl control;
    private final AuditLog audit;

    public ConfigApi(ConfigControl control) {
        this(control, null);
    }

    /** @param audit where reloads through this API are audited; null for none */
    public ConfigApi(ConfigControl control, AuditLog audit) {
        this.control = control;
        this.audit = audit;
    }

    /**
     * The configuration as a tree with what serialising it would still show hidden: header values and credential-like
     * options of every provider, and a password in {@code store.url}.
     */
    static JsonNode redacted(GatewayConfig config) {
        ObjectNode tree = REDACTING.valueToTree(config);
        for (JsonNode p : tree.path("providers")) {
            Redaction.values(p.get("headers"), true);
            Redaction.values(p.get("options"), false);
        }
        if (tree.path("store") instanceof ObjectNode store && store.hasNonNull("url")) {
            try {
                store.put("url", StoreUrl.parse(store.get("url").asText()).display());
            } catch (IllegalArgumentException e) {
                store.put("url", Redaction.HIDDEN);
            }
        }
        return tree;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        AdminGuard guard = new AdminGuard(state);
        router.post("/admin/config/reload").handler(guard).handler(ctx -> control.reload().onComplete(ar -> {
            if (ar.failed()) {
                AdminAction.run(ctx, audit, "config.reload", "file", () -> {
                    throw new AdminAction.Refused(new ApiError(500, "api_error", "reload_failed", null,
                            "The reload failed unexpectedly: " + ar.cause().getMessage()));
                });
                return;
            }
            ConfigControl.ReloadOutcome o = ar.result();
            int status = o.applied() ? 200 : o.problems().isEmpty() ? 409 : 400;
            String detail = o.applied() ? o.summary() : o.summary() + (o.problems().isEmpty() ? "" : ": " + String.join("; ", o.problems()));
            // audited like every admin action (refusals too); the answer keeps its own shape, with the problems listed
            AdminAction.run(ctx, audit, "config.reload", "file", () -> new AdminAction.Done(status, g -> {
                g.writeStartObject();
                g.writeBooleanField("applied", o.applied());
                g.writeStringField("summary", o.summary());
                g.writeArrayFieldStart("problems");
                for (String p : o.problems()) g.writeString(p);
                g.writeEndArray();
                g.writeEndObject();
            }, "file", detail));
        }));
        router.get("/admin/config").handler(guard).handler(ctx -> {
            try {
                ctx.response().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
                ctx.response().end(Buffer.buffer(REDACTING.writeValueAsBytes(redacted(control.current()))));
            } catch (IOException e) {
                AdminGuard.fail(ctx, new ApiError(500, "api_error", "internal_error", null, "could not render the configuration"));
            }
        });
    }
}
