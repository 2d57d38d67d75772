package dev.switchyard.provider;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.model.InboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The narrow provider SPI: encode a request for one upstream, decode its answer, translate its stream,
 * classify its failures. Transport (HTTP pools, TLS, proxies) is not the adapter's business.
 */
public interface ProviderAdapter {
    Capabilities capabilities();

    /** Builds and signs the upstream request for one attempt. May throw an ApiException (400) for untranslatable input. */
    UpstreamRequest encode(InboundRequest request, ProviderConfig provider, String upstreamModel, boolean askForUsage);

    /** Turns a complete 2xx body into OpenAI's shape. */
    DecodedResponse decode(Buffer body, InboundRequest request);

    StreamTranslator newStreamTranslator(InboundRequest request, boolean clientWantsUsage);

    /** Classifies a non-2xx answer. */
    UpstreamFailure classify(int status, MultiMap headers, Buffer body);
}
