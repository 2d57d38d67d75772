package dev.switchyard.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.Capabilities;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.compat.CompatAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The Anthropic Messages API ({@code type: anthropic}) behind the OpenAI endpoint: encodes chat requests with
 * {@link AnthropicRequestEncoder}, decodes answers with {@link AnthropicResponseDecoder}, translates streams with
 * {@link AnthropicStreamTranslator} and classifies failures with {@link AnthropicFailures}. One instance per
 * configured provider, holding its parsed {@link AnthropicOptions}. See docs/providers-anthropic.md.
 */
public final class AnthropicAdapter implements ProviderAdapter {
    public static final String TYPE = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Capabilities CAPABILITIES = new Capabilities(false, false, true, false);

    private final AnthropicOptions options;
    private final AnthropicRequestEncoder encoder;

    /**
     * @param limits per-model limits (the price catalog's seam; {@link ModelLimits#NONE} until it exists)
     * @throws IllegalArgumentException naming the config path of an invalid option
     */
    public AnthropicAdapter(ProviderConfig provider, ModelLimits limits) {
        this.options = AnthropicOptions.of(provider);
        this.encoder = new AnthropicRequestEncoder(limits);
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public UpstreamRequest encode(InboundRequest req, ProviderConfig provider, String upstreamModel, boolean askForUsage) {
        if (req.op() != Operation.CHAT) {
            throw new ApiError(400, "invalid_request_error", "unsupported_operation", "model",
                    "Provider '" + provider.name() + "' (type anthropic) serves chat completions only; Anthropic has no embeddings API.").exception();
        }
        // Anthropic always reports stream usage, so askForUsage needs nothing here.
        AnthropicRequestEncoder.Encoded e = encoder.encode(req, options, upstreamModel);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("content-type", "application/json");
        headers.set("accept", req.stream() ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null) headers.set("x-api-key", provider.apiKey().reveal());
        headers.set("anthropic-version", options.version());
        if (!e.betas().isEmpty()) headers.set("anthropic-beta", String.join(",", e.betas()));
        for (Map.Entry<String, String> h : provider.headers().entrySet()) headers.set(h.getKey(), h.getValue());
        if (!e.dropped().isEmpty()) headers.set(CompatAdapter.DROPPED_HEADER, String.join(",", e.dropped()));
        String base = provider.baseUrl() != null ? provider.baseUrl() : DEFAULT_BASE_URL;
        try {
            return new UpstreamRequest(base + "/messages", headers, Buffer.buffer(MAPPER.writeValueAsBytes(e.body())), req.stream());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public DecodedResponse decode(Buffer body, InboundRequest request) {
        return AnthropicResponseDecoder.decode(body, StructuredOutput.of(request.tree()));
    }

    @Override
    public StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
        return new AnthropicStreamTranslator(clientWantsUsage, StructuredOutput.of(request.tree()));
    }

    @Override
    public UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        return AnthropicFailures.classify(status, headers, body);
    }
}
