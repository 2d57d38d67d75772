package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ModelRoute;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.ApiError;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.provider.UpstreamCall;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.provider.UpstreamTransport;
import dev.switchyard.routing.ProviderRuntime;
import dev.switchyard.routing.RoutePlan;
import dev.switchyard.routing.Target;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay writes the events of one upstream read to the client as one write (each client write
 * outside the client connection's own read is a syscall), and ends the stream together with its
 * last bytes, without changing a byte or the order.
 */
class StreamRelayBatchingTest {
    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}\n\n";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void oneUpstreamReadBecomesOneClientWrite() {
        String first = chunk("Hel", "null") + chunk("lo", "null");
        String second = chunk("", "\"stop\"") + "data: [DONE]\n\n";
        FakeBody body = new FakeBody();
        RecordingClient client = run(body);

        body.emit(first);
        assertThat(client.events).containsExactly("start", "write:" + first);

        body.emit(second);
        assertThat(client.events).containsExactly("start", "write:" + first, "end:" + second);
    }

    @Test
    void anEventHeldBeforeTheFirstTokenGoesOutWithIt() {
        String all = chunk("", "null") + chunk("Hi", "null") + chunk("", "\"stop\"") + "data: [DONE]\n\n";
        FakeBody body = new FakeBody();
        RecordingClient client = run(body);

        body.emit(all);
        assertThat(client.events).containsExactly("start", "end:" + all);
    }

    private static String chunk(String content, String finish) {
        return CHUNK.formatted(content, finish);
    }

    private RecordingClient run(FakeBody body) {
        ProviderConfig pc = new ProviderConfig("mock", "openai", "http://127.0.0.1:1/v1", Secret.of("k", "inline"),
                Timeouts.NONE, Map.of(), Map.of(), null, 10, null);
        ProviderAdapter adapter = ProviderRegistry.standard().adapter(pc);
        UpstreamTransport transport = request -> UpstreamCall.of(Future.succeededFuture(new FakeResponse(body)), () -> { });
        ProviderRuntime runtime = new ProviderRuntime(pc, adapter, transport, Timeouts.DEFAULTS);
        Target target = new Target("mock/m", runtime, "m", 1, Timeouts.DEFAULTS);
        RoutePlan plan = new RoutePlan("m", List.of(target), 0, Duration.ofMillis(10), ModelRoute.Strategy.PRIORITY);
        InboundRequest in = RequestScanner.scan("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        RecordingClient client = new RecordingClient();
        new FailoverExecutor(vertx, o -> { }).execute("req_1", in, plan, client, System.nanoTime());
        return client;
    }

    /** An upstream body the test feeds by hand, one read at a time. */
    private static final class FakeBody implements ReadStream<Buffer> {
        private Handler<Buffer> handler;

        void emit(String bytes) {
            handler.handle(Buffer.buffer(bytes));
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            handler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }
    }

    private record FakeResponse(FakeBody body) implements UpstreamResponse {
        @Override
        public int status() {
            return 200;
        }

        @Override
        public MultiMap headers() {
            return MultiMap.caseInsensitiveMultiMap();
        }

        @Override
        public void cancel() {
        }
    }

    /** Records what reaches the client, write by write. */
    private static final class RecordingClient implements ClientChannel {
        final List<String> events = new ArrayList<>();

        @Override
        public boolean closed() {
            return false;
        }

        @Override
        public void onClose(Runnable action) {
        }

        @Override
        public void startStream(Provenance provenance) {
            events.add("start");
        }

        @Override
        public boolean write(Buffer sse) {
            events.add("write:" + sse);
            return false;
        }

        @Override
        public void onDrain(Runnable action) {
        }

        @Override
        public void endStream() {
            events.add("end");
        }

        @Override
        public void endStream(Buffer last) {
            events.add("end:" + last);
        }

        @Override
        public void sendJson(int status, Provenance provenance, Buffer body) {
            events.add("json");
        }

        @Override
        public void sendError(ApiError error, Provenance provenance, Duration retryAfter) {
            events.add("error:" + error.message());
        }
    }
}
