package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.GatewayConfig;
import dev.switchyard.config.ModelRoute;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.routing.ProviderRuntime;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.Reply;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that does not keep up makes the relay pause its upstream; that silence is the gateway's own doing
 * and must not trip the upstream's idle timeout. The client side is a {@link ClientChannel} the test controls,
 * so "the client's write queue is full" is exact rather than a guess about socket buffer sizes.
 */
@Timeout(30)
class StreamBackPressureTest {
    private final Vertx vertx = Vertx.vertx();
    private final MockUpstream upstream = MockUpstream.start(vertx);

    @AfterEach
    void stop() {
        upstream.close();
        vertx.close().await();
    }

    /** A client whose write queue is full after the first write, until the test drains it. */
    private static final class SlowClient implements ClientChannel {
        final StringBuilder received = new StringBuilder();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Runnable> drain = new CompletableFuture<>();
        volatile boolean full = true;

        @Override
        public boolean closed() {
            return ended.isDone();
        }

        @Override
        public void onClose(Runnable action) {}

        @Override
        public void startStream(Provenance provenance) {}

        @Override
        public boolean write(Buffer sse) {
            received.append(sse.toString(StandardCharsets.UTF_8));
            return full;
        }

        @Override
        public void onDrain(Runnable action) {
            drain.complete(action);
        }

        @Override
        public void endStream() {
            ended.complete(null);
        }

        @Override
        public void sendJson(int status, Provenance provenance, Buffer body) {
            throw new AssertionError("a stream was expected, got JSON " + status);
        }

        @Override
        public void sendError(ApiError error, Provenance provenance, Duration retryAfter) {
            throw new AssertionError("a stream was expected, got " + error);
        }
    }

    @Test
    void aPausedUpstreamIsNotAStalledUpstream() throws Exception {
        Timeouts timeouts = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(40), Duration.ofSeconds(30));
        ProviderConfig pc = new ProviderConfig("pa", "openai", upstream.baseUrl(), null, timeouts, Map.of(), Map.of(), null, 4, 0, null);
        ProviderRegistry registry = ProviderRegistry.standard();
        ProviderRuntime runtime = new ProviderRuntime(pc, registry.adapter(pc), registry.transport(vertx, pc, timeouts, k -> null), timeouts);
        RoutePlan plan = new RoutePlan("chat", List.of(new Target("pa/model-a", runtime, "model-a", 1, timeouts)), 0,
                Duration.ofMillis(1), ModelRoute.Strategy.PRIORITY);
        InboundRequest request = RequestScanner.scan(
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8),
                Operation.CHAT);
        upstream.enqueue(Reply.sse(OpenAiBodies.textChunks("model-a", true, "Hel", "lo", " wor", "ld")));
        CompletableFuture<ExchangeOutcome> outcome = new CompletableFuture<>();
        FailoverExecutor executor = new FailoverExecutor(vertx, outcome::complete, RoutingFacts.withoutCatalog(HealthRegistry.system()));
        SlowClient client = new SlowClient();
        Context ctx = vertx.getOrCreateContext();

        ctx.runOnContext(v -> executor.execute("bp-1", request, plan, client, System.nanoTime(), GatewayConfig.Routing.DEFAULT));
        Runnable drain = client.drain.get(10, TimeUnit.SECONDS); // the relay paused pa for the client
        Thread.sleep(200); // five idle periods of silence from pa: the real idle timer fires meanwhile
        assertThat(client.ended).as("a slow client must not end the stream").isNotDone();
        client.full = false;
        ctx.runOnContext(v -> drain.run());
        client.ended.get(10, TimeUnit.SECONDS);

        assertThat(client.received.toString()).contains("\"ld\"").endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
        assertThat(outcome.get(10, TimeUnit.SECONDS).truncated()).isFalse();
        runtime.transport().close();
    }
}
