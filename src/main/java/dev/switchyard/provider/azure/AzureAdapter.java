package dev.switchyard.provider.azure;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.Bytes;
import dev.switchyard.provider.Capabilities;
import dev.switchyard.provider.DecodedResponse;
import dev.switchyard.provider.FailureKind;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderType;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.compat.CompatAdapter;
import dev.switchyard.provider.compat.CompatSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: the OpenAI wire format with Azure's addressing. Everything about the body, the answer
 * and the stream is the compat family's ({@link CompatAdapter}, bytes spliced and passed through);
 * this class only changes where the request goes and how it is signed, and filters Azure's one stream
 * deviation ({@link AzureStreamFilter}).
 * <ul>
 *   <li>Deployment URLs: {@code {base}/openai/deployments/{deployment}/chat/completions?api-version=…},
 *       the deployment being the target's upstream model name; {@code api_version} (provider-level or
 *       {@code options.api_version}) defaults to {@value #DEFAULT_API_VERSION}.</li>
 *   <li>The v1 API, when {@code base_url} ends in {@code /openai/v1}: {@code {base}/chat/completions} with the
 *       deployment as the body's {@code model}; {@code api-version} is added only when configured.</li>
 *   <li>{@code api-key: <key>} instead of a Bearer token.</li>
 * </ul>
 */
public final class AzureAdapter implements ProviderAdapter {
    public static final String TYPE = "azure";
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    private static final byte[] POLICY_VIOLATION = Bytes.ascii("ResponsibleAIPolicyViolation");

    private final CompatAdapter compat = new CompatAdapter(
            CompatSpec.plain(TYPE, null, CompatSpec.Auth.BEARER, CompatSpec.StreamUsage.ASK), false);

    /** The registry entry: needs a key and a base URL (the resource's endpoint). */
    public static ProviderType type() {
        AzureAdapter shared = new AzureAdapter();
        return new ProviderType(TYPE, true, null, false, p -> shared);
    }

    @Override
    public Capabilities capabilities() {
        return compat.capabilities();
    }

    @Override
    public UpstreamRequest encode(InboundRequest req, ProviderConfig provider, String deployment, boolean askForUsage) {
        // the compat body and headers, minus its Bearer credential: Azure takes the key as api-key
        // (raw_params keyed "azure" reach the body there: the compat spec's type is azure)
        UpstreamRequest u = compat.encode(req, withoutKey(provider), deployment, askForUsage);
        MultiMap headers = u.headers();
        if (provider.apiKey() != null) headers.set("api-key", provider.apiKey().reveal());
        return new UpstreamRequest(url(provider, req.op(), deployment), headers, u.body(), u.stream());
    }

    static String url(ProviderConfig provider, Operation op, String deployment) {
        String base = provider.baseUrl();
        String version = provider.options().get("api_version");
        if (base.endsWith("/openai/v1")) {
            return base + op.openAiPath() + (version == null ? "" : "?api-version=" + query(version));
        }
        String root = base.endsWith("/openai") ? base.substring(0, base.length() - "/openai".length()) : base;
        return root + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20")
                + op.openAiPath() + "?api-version=" + query(version == null ? DEFAULT_API_VERSION : version);
    }

    private static String query(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static ProviderConfig withoutKey(ProviderConfig p) {
        if (p.apiKey() == null) return p;
        return new ProviderConfig(p.name(), p.type(), p.baseUrl(), null, p.timeouts(), p.headers(), p.options(),
                p.caFile(), p.maxConnections(), p.simulate());
    }

    @Override
    public DecodedResponse decode(Buffer body, InboundRequest request) {
        return compat.decode(body, request);
    }

    @Override
    public StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage) {
        return new AzureStreamFilter(compat.newStreamTranslator(request, clientWantsUsage));
    }

    /**
     * The compat classification already maps {@code error.code: content_filter} to CONTENT_FILTER; an
     * Azure policy refusal that names only {@code innererror.code} gets the same treatment.
     */
    @Override
    public UpstreamFailure classify(int status, MultiMap headers, Buffer body) {
        UpstreamFailure f = compat.classify(status, headers, body);
        if (f.kind() == FailureKind.CLIENT_ERROR && body != null && Bytes.indexOf(body, POLICY_VIOLATION, 0) >= 0) {
            ApiError c = f.clientError();
            return new UpstreamFailure(FailureKind.CONTENT_FILTER, status, f.label(), null,
                    new ApiError(c.status(), c.type(), "content_filter", c.param(), c.message()), f.message());
        }
        return f;
    }
}
