package dev.switchyard.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchyard.accounting.Budgets;
import dev.switchyard.auth.ClientIdentity;
import dev.switchyard.auth.RateLimits;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.RequestIds;
import dev.switchyard.resilience.FailoverExecutor;
import dev.switchyard.routing.ModelCatalog;
import dev.switchyard.routing.RoutePlan;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The OpenAI-compatible endpoints: authenticate, read and scan the body, resolve the model, hand over. */
public final class OpenAiFront {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiFront.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String BEARER = "Bearer ";
    /** W3C trace context: the client's span becomes the parent of the gateway's request span. */
    private static final String TRACEPARENT = "traceparent";
    static final String STRICT_HEADER = "x-switchyard-strict";

    private final Supplier<FrontState> state;
    private final FailoverExecutor executor;
    private final Admission admission;

    public OpenAiFront(Supplier<FrontState> state, FailoverExecutor executor, RateLimits limits) {
        this(state, executor, limits, null);
    }

    /** @param budgets enforces keys' budgets; null when no accounting feeds it */
    public OpenAiFront(Supplier<FrontState> state, FailoverExecutor executor, RateLimits limits, Budgets budgets) {
        this.state = state;
        this.executor = executor;
        this.admission = new Admission(limits, budgets);
    }

    public void chat(RoutingContext ctx) {
        proxied(ctx, Operation.CHAT);
    }

    public void embeddings(RoutingContext ctx) {
        proxied(ctx, Operation.EMBEDDINGS);
    }

    private void proxied(RoutingContext ctx, Operation op) {
        long start = System.nanoTime();
        long arrived = System.currentTimeMillis();
        FrontState s = state.get();
        HttpServerRequest req = ctx.request();
        HttpServerResponse resp = ctx.response();
        String requestId = requestId(req, arrived);
        resp.headers().set(ProvenanceHeaders.REQUEST_ID, requestId);
        ClientIdentity who = s.keys().authenticate(presentedKey(req));
        if (who == null) {
            req.pause();
            Errors.send(resp, Errors.unauthorized());
            return;
        }
        long max = s.config().server().maxBodyBytes();
        BodyReader.read(req, max, body -> {
            Admission.Ticket ticket = null;
            try {
                InboundRequest in = RequestScanner.scan(body, op).withStrict(strict(req.getHeader(STRICT_HEADER)));
                if (!who.mayUse(in.model())) {
                    throw new ApiError(403, "permission_error", "model_not_allowed", "model",
                            "This API key may not use model '" + in.model() + "'.").exception();
                }
                for (String m : in.modelsOverride()) {
                    if (!who.mayUse(m)) {
                        throw new ApiError(403, "permission_error", "model_not_allowed", "models",
                                "This API key may not use model '" + m + "'.").exception();
                    }
                }
                RoutePlan plan = s.catalog().plan(in);
                ticket = admission.admit(who, in, plan, body.length, resp);
                executor.execute(requestId, in, plan, new HttpClientChannel(resp), start, arrived, s.config().routing(), who.name(),
                        req.getHeader(TRACEPARENT), ticket.onDone());
            } catch (ApiException e) {
                Errors.send(resp, e.error());
            } catch (RuntimeException e) {
                if (ticket != null) ticket.cancel();
                LOG.error("request {} failed inside the gateway", requestId, e);
                Errors.send(resp, Errors.internal(requestId));
            }
        }, () -> Errors.send(resp, Errors.tooLarge(max)));
    }

    /**
     * {@code x-switchyard-strict}: {@code true} asks that no target drop a parameter (see docs/providers.md); absent,
     * empty or {@code false} is the default. Anything else is a 400: a misspelt safety switch must not pass silently.
     */
    static boolean strict(String value) {
        if (value == null) return false;
        String v = value.trim();
        if (v.equalsIgnoreCase("true")) return true;
        if (v.isEmpty() || v.equalsIgnoreCase("false")) return false;
        throw new ApiError(400, "invalid_request_error", "invalid_header", null,
                "The header " + STRICT_HEADER + " must be 'true' or 'false', not '"
                        + (v.length() > 64 ? v.substring(0, 64) + "…" : v) + "'.").exception();
    }

    public void listModels(RoutingContext ctx) {
        if (!authorized(ctx)) return;
        List<ModelCatalog.Listing> all = state.get().catalog().listings();
        json(ctx.response(), g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (ModelCatalog.Listing l : all) writeModel(g, l);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    public void getModel(RoutingContext ctx) {
        if (!authorized(ctx)) return;
        String path = ctx.request().path();
        String id = decodePath(path.substring("/v1/models/".length()));
        ModelCatalog.Listing l = state.get().catalog().listing(id);
        if (l == null) {
            Errors.send(ctx.response(), new ApiError(404, "invalid_request_error", "model_not_found", "model",
                    "The model '" + id + "' does not exist. List the available models with GET /v1/models."));
            return;
        }
        json(ctx.response(), g -> writeModel(g, l));
    }

    /** SDKs percent-encode a path id, so {@code provider/model} arrives as {@code provider%2Fmodel}. */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8); // '+' is literal in a path
        } catch (IllegalArgumentException malformed) {
            return raw;
        }
    }

    private static void writeModel(JsonGenerator g, ModelCatalog.Listing l) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", l.id());
        g.writeStringField("object", "model");
        g.writeNumberField("created", 0);
        g.writeStringField("owned_by", l.simulated() ? l.ownedBy() + " (simulated)" : l.ownedBy());
        if (l.simulated()) g.writeBooleanField("simulated", true);
        g.writeEndObject();
    }

    private boolean authorized(RoutingContext ctx) {
        if (state.get().keys().authenticate(presentedKey(ctx.request())) != null) return true;
        Errors.send(ctx.response(), Errors.unauthorized());
        return false;
    }

    static String presentedKey(HttpServerRequest req) {
        String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) return auth.substring(BEARER.length()).trim();
        return req.getHeader("api-key");
    }

    private static String requestId(HttpServerRequest req, long arrivedEpochMillis) {
        String given = req.getHeader("x-request-id");
        if (given != null && !given.isEmpty() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) return given;
        return RequestIds.mint(arrivedEpochMillis);
    }

    public interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    static void json(HttpServerResponse resp, JsonWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        resp.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        resp.end(Buffer.buffer(out.toByteArray()));
    }
}
