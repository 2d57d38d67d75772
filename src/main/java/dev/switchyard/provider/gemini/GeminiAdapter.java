package dev.switchyard.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.Capabilities;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderType;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.compat.CompatAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Google Gemini through the AI Studio API ({@code generativelanguage.googleapis.com/v1beta}):
 * {@code :generateContent}, {@code :streamGenerateContent?alt=sse}, {@code :embedContent} and
 * {@code :batchEmbedContents}, authenticated with {@code x-goog-api-key}. Stateless; one instance
 * serves every configured Gemini provider.
 */
public final class GeminiAdapter implements ProviderAdapter {
    public static final String TYPE = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
    private static final ObjectMapper M = new ObjectMapper();
    private static final Capabilities CAPABILITIES = new Capabilities(false, true, true, false);

    /** The registry entry: needs a key, has a default base URL. */
    public static ProviderType type() {
        GeminiAdapter shared = new GeminiAdapter();
        return new ProviderType(TYPE, true, DEFAULT_BASE_URL, false, p -> shared);
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public UpstreamRequest encode(InboundRequest req, ProviderConfig provider, String upstreamModel, boolean askForUsage) {
        String base = provider.baseUrl() != null ? provider.baseUrl() : DEFAULT_BASE_URL;
        // "gemini-2.5-flash" → models/gemini-2.5-flash; "tunedModels/x" or "models/x" are already resource names
        String resource = upstreamModel.contains("/") ? upstreamModel : "models/" + upstreamModel;
        List<String> dropped = new ArrayList<>(0);
        String url;
        ObjectNode body;
        if (req.op() == Operation.EMBEDDINGS) {
            GeminiEmbeddings.Encoded e = GeminiEmbeddings.encode(req.tree(), resource, dropped);
            url = base + "/" + resource + ":" + e.method();
            body = e.body();
        } else {
            body = GeminiRequestEncoder.encode(req.tree(), dropped);
            // Gemini streams always carry usage, so askForUsage needs nothing here
            url = base + "/" + resource + (req.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("content-type", "application/json");
        headers.set("accept", req.stream() ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null) headers.set("x-goog-api-key", provider.apiKey().reveal());
        for (Map.Entry<String, String> h : provider.headers().entrySet()) headers.set(h.getKey(), h.getValue());
        if (!dropped.isEmpty()) headers.set(CompatAdapter.DROPPED_HEADER, String.join(",", dropped));
        try {
            return new UpstreamRequest(url, headers, Buffer.buffer(M.writeValueAsBytes(body)), req.stream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DecodedResponse decode(Buffer body, InboundRequest request) {
        if (request.op() == Operation.EMBEDDINGS) return GeminiEmbeddings.decode(body, request);
        return GeminiResponseDecoder.decode(body, request);
    }

    @Override
    public StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
        return new GeminiStreamTranslator(request, clientWantsUsage);
    }

    @Override
    public UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        return GeminiFailures.classify(status, headers, body);
    }
}
