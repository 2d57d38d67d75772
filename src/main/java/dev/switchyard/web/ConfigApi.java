package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.switchyard.config.Secret;
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

    public ConfigApi(ConfigControl control) {
        this.control = control;
    }

    @Override
    public void mount(Router router, Supplier<FrontState> state) {
        AdminGuard guard = new AdminGuard(state);
        router.post("/admin/config/reload").handler(guard).handler(ctx -> control.reload().onComplete(ar -> {
            if (ar.failed()) {
                AdminGuard.fail(ctx, new ApiError(500, "api_error", "reload_failed", null,
                        "The reload failed unexpectedly: " + ar.cause().getMessage()));
                return;
            }
            ConfigControl.ReloadOutcome o = ar.result();
            if (!o.applied()) {
                ctx.response().setStatusCode(o.problems().isEmpty() ? 409 : 400);
            }
            AdminGuard.json(ctx, g -> {
                g.writeStartObject();
                g.writeBooleanField("applied", o.applied());
                g.writeStringField("summary", o.summary());
                g.writeArrayFieldStart("problems");
                for (String p : o.problems()) g.writeString(p);
                g.writeEndArray();
                g.writeEndObject();
            });
        }));
        router.get("/admin/config").handler(guard).handler(ctx -> {
            try {
                ctx.response().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
                ctx.response().end(Buffer.buffer(REDACTING.writeValueAsBytes(control.current())));
            } catch (IOException e) {
                AdminGuard.fail(ctx, new ApiError(500, "api_error", "internal_error", null, "could not render the configuration"));
            }
        });
    }
}
