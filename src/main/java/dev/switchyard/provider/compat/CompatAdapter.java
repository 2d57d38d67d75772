package dev.switchyard.provider.compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.BodySplicer;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.Capabilities;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.HttpFailures;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.RawParams;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves every OpenAI-compatible provider from its {@link CompatSpec}. Requests are spliced bytes (only
 * {@code model} changes, gateway-only fields are cut) unless a spec quirk applies or the request carries
 * {@code raw_params}: then the body is rebuilt from the tree, with the raw parameters meant for this provider type
 * merged in. Responses and streams pass through.
 */
public final class CompatAdapter implements ProviderAdapter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompatSpec spec;
    private final CompatQuirks quirks;
    private final Capabilities capabilities;

    public CompatAdapter(CompatSpec spec, boolean simulated) {
        this.spec = spec;
        this.quirks = new CompatQuirks(spec);
        this.capabilities = new Capabilities(true, true, true, simulated);
    }

    public CompatSpec spec() {
        return spec;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public UpstreamRequest encode(InboundRequest req, ProviderConfig provider, String upstreamModel, boolean askForUsage) {
        String base = provider.baseUrl() != null ? provider.baseUrl() : spec.defaultBaseUrl();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("content-type", "application/json");
        headers.set("accept", req.stream() ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null) headers.set("authorization", "Bearer " + provider.apiKey().reveal());
        for (Map.Entry<String, String> h : provider.headers().entrySet()) headers.set(h.getKey(), h.getValue());
        boolean forceUsage = askForUsage && spec.streamUsage() == CompatSpec.StreamUsage.ASK;
        Buffer body;
        List<String> dropped = List.of();
        boolean quirky = spec.hasQuirks() && req.op() == Operation.CHAT && quirks.mayApply(req);
        if (quirky || req.rawParams()) {
            dropped = new ArrayList<>(2);
            body = treeBody(req, upstreamModel, forceUsage, quirky, dropped);
        } else {
            body = BodySplicer.forUpstream(req, upstreamModel, forceUsage);
        }
        if (!dropped.isEmpty()) headers.set(DROPPED_HEADER, String.join(",", dropped));
        return new UpstreamRequest(base + req.op().openAiPath(), headers, body, req.stream());
    }

    /** Internal marker header naming dropped parameters; the front moves it to the client response. */
    public static final String DROPPED_HEADER = "x-switchyard-dropped-params";

    private Buffer treeBody(InboundRequest req, String model, boolean forceUsage, boolean quirky, List<String> dropped) {
        ObjectNode body = quirky ? quirks.apply(req, dropped) : ((ObjectNode) req.tree()).deepCopy();
        body.put("model", model);
        body.remove("models");
        // raw parameters are the client's explicit native choice: merged after the quirks, and never named as dropped
        RawParams.merge(body, RawParams.select(body.remove(RawParams.FIELD), spec.type()));
        if (forceUsage && req.stream() && !req.clientWantsUsage()) {
            body.withObject("/stream_options").put("include_usage", true);
        }
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DecodedResponse decode(Buffer body, InboundRequest request) {
        OpenAiWire.Facts f = OpenAiWire.scan(body);
        if (!f.wellFormed) {
            // e.g. a proxy's HTML page with status 200: passing it on would hand the client a broken answer
            throw new ApiError(502, "api_error", "bad_response", null, "upstream answered 200 with a body that is not a JSON object").exception();
        }
        if (f.error) {
            // some servers report a failure with status 200; passed on, it would look like a successful answer
            ApiError e = OpenAiWire.error(body, 502);
            throw new ApiError(502, "api_error", "bad_response", null, "upstream answered 200 with an error"
                    + (e == null ? "" : ": " + e.message())).exception();
        }
        return new DecodedResponse(body, f.usage, f.finishReason);
    }

    @Override
    public StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
        return new CompatStreamTranslator(!clientWantsUsage && spec.streamUsage() == CompatSpec.StreamUsage.ASK);
    }

    @Override
    public UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        ApiError parsed = body == null ? null : OpenAiWire.error(body, status);
        String msg = parsed != null ? parsed.message() : "HTTP " + status;
        if (status == 400 || status == 413 || status == 422) {
            String code = parsed == null || parsed.code() == null ? "" : parsed.code();
            String lower = msg.toLowerCase(Locale.ROOT);
            if (code.equals("context_length_exceeded") || lower.contains("context length") || lower.contains("context window")
                    || lower.contains("maximum context") || lower.contains("too many tokens")) {
                return new UpstreamFailure(FailureKind.CONTEXT_TOO_LONG, status, Integer.toString(status), null, clientError(status, parsed, msg), msg);
            }
            if (code.equals("content_filter") || code.equals("data_inspection_failed") || code.equals("content_policy_violation")) {
                return new UpstreamFailure(FailureKind.CONTENT_FILTER, status, Integer.toString(status), null, clientError(status, parsed, msg), msg);
            }
        }
        return HttpFailures.byStatus(status, headers, clientError(status, parsed, msg), msg);
    }

    private static ApiError clientError(int status, ApiError parsed, String msg) {
        if (parsed != null) return new ApiError(status, parsed.type() == null ? "invalid_request_error" : parsed.type(), parsed.code(), parsed.param(), msg);
        return new ApiError(status, "invalid_request_error", null, null, "The upstream provider rejected the request: " + msg);
    }
}
