package dev.switchyard.provider;

import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Small helpers for driving an {@link UpstreamTransport} from a test thread. */
final class Upstreams {
    static final String CHAT_BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private Upstreams() {}

    static ProviderConfig provider(String baseUrl, Path caFile) {
        return new ProviderConfig("p", "openai", baseUrl, Secret.of("test-key", "inline"), Timeouts.NONE, Map.of(), Map.of(),
                caFile, 4, null);
    }

    static UpstreamRequest chat(String absoluteUrl) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
        return new UpstreamRequest(absoluteUrl, h, Buffer.buffer(CHAT_BODY), false);
    }

    /** Reads a whole response body (the transport hands it over paused). */
    static Future<Buffer> body(UpstreamResponse r) {
        Promise<Buffer> p = Promise.promise();
        Buffer acc = Buffer.buffer();
        r.body().handler(acc::appendBuffer);
        r.body().exceptionHandler(p::tryFail);
        r.body().endHandler(v -> p.tryComplete(acc));
        r.body().resume();
        return p.future();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.await(20, TimeUnit.SECONDS);
    }
}
