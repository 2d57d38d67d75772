package dev.switchyard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Upstream SSE events per second through each provider's {@link StreamTranslator}, replaying the recorded golden
 * streams ({@code src/test/resources/golden/<provider>/<case>/upstream-response.sse}) with the adapter and request
 * the fixture describes. One benchmark operation is one upstream event; a fresh translator starts each time the
 * recording is used up (its {@code onEnd} runs first), so per-stream setup is part of the cost, as in the gateway.
 * <ul>
 *   <li>{@link #translate}: events already framed, the translator alone;</li>
 *   <li>{@link #frameAndTranslate}: the stream's bytes through {@link SseFramer} and the translator, as the relay
 *       does; the score counts whole recordings, the {@code events} counter the events in them.</li>
 * </ul>
 * Run: see docs/benchmarks-translators.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StreamTranslatorBench {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** A golden case with a recorded stream: the compat pass-through, Azure, Anthropic and Gemini. */
    @Param({"openai/stream-hidden-usage", "azure/stream-prompt-filter", "anthropic/stream-text", "anthropic/stream-tools",
            "anthropic/stream-thinking", "gemini/stream-text", "gemini/stream-tools", "gemini/stream-thinking"})
    public String fixture;

    private ProviderAdapter adapter;
    private InboundRequest request;
    private byte[] sse;
    private List<SseEvent> events;
    private StreamTranslator translator;
    private int next;
    private Sink sink;

    /** Consumes what a translator emits, as the relay would, without letting the JIT drop it. */
    static final class Sink implements StreamSink {
        final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void chunk(Buffer sse, boolean content) {
            bh.consume(sse);
        }

        @Override
        public void usage(Usage usage) {
            bh.consume(usage);
        }

        @Override
        public void error(UpstreamFailure failure) {
            throw new IllegalStateException("the benchmark stream failed: " + failure.message());
        }

        @Override
        public void done(String finishReason) {
            bh.consume(finishReason);
        }
    }

    @Setup(Level.Trial)
    public void load(Blackhole bh) throws IOException {
        Path dir = GOLDEN.resolve(fixture);
        JsonNode spec = M.readTree(dir.resolve("case.json").toFile());
        adapter = ProviderRegistry.standard().adapter(GoldenFixturesTest.providerConfig(spec.get("provider")));
        request = RequestScanner.scan(Files.readAllBytes(dir.resolve("request.json")), Operation.CHAT);
        sse = Files.readAllBytes(dir.resolve("upstream-response.sse"));
        events = new ArrayList<>();
        SseFramer framer = new SseFramer(events::add);
        framer.feed(Buffer.buffer(sse));
        framer.end();
        sink = new Sink(bh);
        translator = newTranslator();
    }

    private StreamTranslator newTranslator() {
        return adapter.newStreamTranslator(request, request.clientWantsUsage());
    }

    /** Framed events through the translator, one event per operation. */
    @Benchmark
    public void translate() {
        if (next == events.size()) {
            translator.onEnd(sink);
            translator = newTranslator();
            next = 0;
        }
        translator.onEvent(events.get(next++), sink);
    }

    /** Counts upstream events, so JMH reports {@code frameAndTranslate:events} in events per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;
    }

    /** One whole recording, bytes to chunks; the {@code events} counter gives events per second. */
    @Benchmark
    public void frameAndTranslate(Events counter) {
        StreamTranslator t = newTranslator();
        SseFramer framer = new SseFramer(e -> t.onEvent(e, sink));
        framer.feed(Buffer.buffer(sse));
        framer.end();
        t.onEnd(sink);
        counter.events += events.size();
    }
}
