package dev.switchyard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.ApiError;
import dev.switchyard.store.AuditLog;
import dev.switchyard.store.RuntimeConfigStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runtime configuration through the admin API, layered over the file:
 * <ul>
 *   <li>{@code PUT|DELETE /admin/config/providers/{name}}, {@code PUT|DELETE /admin/config/models/{name}},
 *       {@code PUT|DELETE /admin/config/pricing/{provider}/{model}}: the body of a PUT is the entry exactly as it would
 *       be written under that YAML section, as JSON; DELETE removes the entry from the effective configuration;</li>
 *   <li>{@code DELETE /admin/config/runtime/{section}/{name}}: forget the runtime entry (the file's applies again);</li>
 *   <li>{@code GET /admin/config/runtime}: the runtime layer, secrets redacted.</li>
 * </ul>
 * A change that would make the configuration invalid is refused with every problem and its exact path.
 */
public final class RuntimeConfigApi implements RouteMount {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuntimeConfig config;
    private final AuditLog audit;

    public RuntimeConfigApi(RuntimeConfig config, AuditLog audit) {
        this.config = config;
        this.audit = audit;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        AdminGuard guard = new AdminGuard(state);
        router.get("/admin/config/runtime").handler(guard).handler(this::list);
        router.deleteWithRegex("/admin/config/runtime/(providers|models|pricing)/.+").handler(guard).handler(ctx -> {
            String rest = rest(ctx, "/admin/config/runtime/");
            int slash = rest.indexOf('/');
            change(ctx, "forget", rest.substring(0, slash), rest.substring(slash + 1), null);
        });
        for (String section : RuntimeConfig.SECTIONS) {
            String prefix = "/admin/config/" + section + "/";
            router.putWithRegex(prefix + ".+").handler(guard).handler(ctx -> AdminAction.readJson(ctx, state,
                    body -> change(ctx, "put", section, rest(ctx, prefix), body)));
            router.deleteWithRegex(prefix + ".+").handler(guard).handler(ctx -> change(ctx, "delete", section, rest(ctx, prefix), null));
        }
    }

    /** The name after the prefix, percent-decoded ({@code openai%2Fgpt-4o} and {@code openai/gpt-4o} alike). */
    private static String rest(RoutingContext ctx, String prefix) {
        return OpenAiFront.decodePath(ctx.request().path().substring(prefix.length()));
    }

    private void change(RoutingContext ctx, String verb, String section, String name, JsonNode body) {
        String target = section + "/" + name;
        String action = verb.equals("forget") ? "config.runtime.forget" : "config." + singular(section) + "." + verb;
        AdminAction.run(ctx, audit, action, target, () -> {
            RuntimeConfig.Outcome o = switch (verb) {
                case "put" -> config.put(section, name, body);
                case "delete" -> config.remove(section, name);
                default -> config.forget(section, name);
            };
            switch (o.result()) {
                case NOT_FOUND -> throw new AdminAction.Refused(new ApiError(404, "invalid_request_error", "config_entry_not_found", null,
                        o.summary()));
                case INVALID -> throw new AdminAction.Refused(new ApiError(400, "invalid_request_error", "invalid_config",
                        o.problems().isEmpty() ? null : o.problems().get(0).substring(0, Math.max(0, o.problems().get(0).indexOf(':'))),
                        "The change was rejected; the configuration is unchanged. " + String.join("; ", o.problems())));
                default -> { }
            }
            return new AdminAction.Done(200, g -> {
                g.writeStartObject();
                g.writeBooleanField("applied", true);
                g.writeStringField("section", section);
                g.writeStringField("name", name);
                g.writeStringField("summary", o.summary());
                g.writeEndObject();
            }, target, verb + " " + target + ": " + o.summary());
        });
    }

    private static String singular(String section) {
        return switch (section) {
            case "providers" -> "provider";
            case "models" -> "model";
            default -> "pricing";
        };
    }

    private void list(RoutingContext ctx) {
        List<RuntimeConfigStore.Entry> entries = config.entries();
        AdminGuard.json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (RuntimeConfigStore.Entry e : entries) {
                g.writeStartObject();
                g.writeStringField("section", e.section());
                g.writeStringField("name", e.name());
                g.writeBooleanField("removed", e.body() == null);
                g.writeStringField("updated_at", Instant.ofEpochMilli(e.updatedAt()).toString());
                if (e.body() != null) {
                    g.writeFieldName("body");
                    JSON.writeTree(g, redacted(e));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static JsonNode redacted(RuntimeConfigStore.Entry e) throws IOException {
        JsonNode body = JSON.readTree(e.body());
        if (e.section().equals("providers")) Redaction.provider(body);
        return body;
    }
}
