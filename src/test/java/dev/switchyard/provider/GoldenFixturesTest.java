package dev.switchyard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.Secret;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.ApiException;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks every golden fixture under {@code src/test/resources/golden/<provider>/<case>/}. See
 * {@code docs/testing.md} for the format. Each case checks, as applicable:
 * <ul>
 *   <li>{@code request.json} → the adapter's upstream body equals {@code upstream-request.json} (as JSON),
 *       and its URL/headers match {@code upstream-request.meta.json} ({@code url}, {@code headers} subset);</li>
 *   <li>{@code upstream-response.json} → decoded OpenAI body equals {@code expected-response.json}
 *       (fields named in {@code case.json} {@code ignore} are removed on both sides, at any depth);</li>
 *   <li>{@code upstream-response.sse} → the emitted chunks equal {@code expected-stream.jsonl}, replayed whole
 *       and cut at 25 random byte boundaries with identical results; {@code expected-stream-end.json} gives
 *       {@code done}/{@code finish_reason}/{@code error}/{@code usage} (events after done or an error are not
 *       delivered, as in the relay);</li>
 *   <li>{@code upstream-error.json} with {@code case.json} {@code status} → {@code expected-failure.json}
 *       ({@code kind}, {@code label}, optional {@code client_status}, {@code client_code});</li>
 *   <li>{@code expected-encode-error.json}: encoding the request throws a 400 ApiException with that
 *       {@code param} / message fragment.</li>
 * </ul>
 */
class GoldenFixturesTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Path ROOT = Path.of("src/test/resources/golden");

    static Stream<Path> cases() throws IOException {
        if (!Files.isDirectory(ROOT)) return Stream.empty();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> providers = Files.list(ROOT)) {
            for (Path p : providers.sorted().toList()) {
                if (!Files.isDirectory(p)) continue;
                try (Stream<Path> cs = Files.list(p)) {
                    cs.filter(c -> Files.exists(c.resolve("case.json"))).sorted().forEach(out::add);
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixture(Path dir) throws Exception {
        JsonNode spec = M.readTree(dir.resolve("case.json").toFile());
        ProviderConfig provider = providerConfig(spec.get("provider"));
        ProviderAdapter adapter = ProviderRegistry.standard().adapter(provider);
        Operation op = Operation.valueOf(spec.path("operation").asText("CHAT"));
        String model = spec.path("model").asText();
        List<String> ignore = new ArrayList<>();
        spec.path("ignore").forEach(n -> ignore.add(n.asText()));
        byte[] clientBody = Files.readAllBytes(dir.resolve("request.json"));
        InboundRequest req = RequestScanner.scan(clientBody, op);

        if (Files.exists(dir.resolve("expected-encode-error.json"))) {
            JsonNode want = read(dir.resolve("expected-encode-error.json"));
            try {
                adapter.encode(req, provider, model, true);
                throw new AssertionError("expected encoding to be rejected");
            } catch (ApiException e) {
                assertThat(e.error().status()).isEqualTo(400);
                if (want.has("param")) assertThat(e.error().param()).isEqualTo(want.get("param").asText());
                if (want.has("message_contains")) assertThat(e.error().message()).contains(want.get("message_contains").asText());
            }
            return;
        }

        UpstreamRequest up = adapter.encode(req, provider, model, spec.path("ask_for_usage").asBoolean(true));
        if (Files.exists(dir.resolve("upstream-request.json"))) {
            JsonNode want = read(dir.resolve("upstream-request.json"));
            JsonNode got = M.readTree(up.body().getBytes());
            assertThat(got).as("upstream request body for %s", dir).isEqualTo(want);
        }
        if (Files.exists(dir.resolve("upstream-request.meta.json"))) {
            JsonNode meta = read(dir.resolve("upstream-request.meta.json"));
            if (meta.has("url")) assertThat(up.absoluteUrl()).isEqualTo(meta.get("url").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                if (h.getValue().isNull()) assertThat(up.headers().get(h.getKey())).as("header %s", h.getKey()).isNull();
                else assertThat(up.headers().get(h.getKey())).as("header %s", h.getKey()).isEqualTo(h.getValue().asText());
            }
        }
        if (Files.exists(dir.resolve("upstream-response.json"))) {
            DecodedResponse d = adapter.decode(Buffer.buffer(Files.readAllBytes(dir.resolve("upstream-response.json"))), req);
            JsonNode got = strip(M.readTree(d.body().getBytes()), ignore);
            JsonNode want = strip(read(dir.resolve("expected-response.json")), ignore);
            assertThat(got).as("decoded response for %s", dir).isEqualTo(want);
            if (Files.exists(dir.resolve("expected-usage.json"))) {
                assertThat(normalise(usageJson(d.usage()))).isEqualTo(read(dir.resolve("expected-usage.json")));
            }
        }
        if (Files.exists(dir.resolve("upstream-response.sse"))) {
            byte[] sse = Files.readAllBytes(dir.resolve("upstream-response.sse"));
            Recorded whole = replay(adapter, req, sse, List.of(sse.length), ignore);
            List<JsonNode> want = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("expected-stream.jsonl"))) {
                if (!line.isBlank()) want.add(strip(M.readTree(line), ignore));
            }
            assertThat(whole.chunks).as("stream chunks for %s", dir).containsExactlyElementsOf(want);
            if (Files.exists(dir.resolve("expected-stream-end.json"))) {
                assertThat(whole.end()).as("stream end for %s", dir).isEqualTo(read(dir.resolve("expected-stream-end.json")));
            }
            Random rnd = new Random(dir.toString().hashCode());
            for (int i = 0; i < 25; i++) {
                List<Integer> cuts = new ArrayList<>();
                int pos = 0;
                while (pos < sse.length) {
                    pos = Math.min(sse.length, pos + 1 + rnd.nextInt(Math.max(1, sse.length / 4)));
                    cuts.add(pos);
                }
                Recorded cut = replay(adapter, req, sse, cuts, ignore);
                assertThat(cut.chunks).as("replay %d of %s cut at %s", i, dir, cuts).isEqualTo(whole.chunks);
                assertThat(cut.end()).isEqualTo(whole.end());
            }
        }
        if (Files.exists(dir.resolve("upstream-error.json"))) {
            int status = spec.path("status").asInt(400);
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            spec.path("response_headers").fields().forEachRemaining(e -> headers.set(e.getKey(), e.getValue().asText()));
            UpstreamFailure f = adapter.classify(status, headers, Buffer.buffer(Files.readAllBytes(dir.resolve("upstream-error.json"))));
            JsonNode want = read(dir.resolve("expected-failure.json"));
            assertThat(f.kind().name()).isEqualTo(want.get("kind").asText());
            if (want.has("label")) assertThat(f.label()).isEqualTo(want.get("label").asText());
            if (want.has("retry_after_ms")) assertThat(f.retryAfter().toMillis()).isEqualTo(want.get("retry_after_ms").asLong());
            if (want.has("client_status")) assertThat(f.clientError().status()).isEqualTo(want.get("client_status").asInt());
            if (want.has("client_code")) assertThat(f.clientError().code()).isEqualTo(want.get("client_code").asText());
        }
    }

    /** What a translator emitted for one replay. */
    record Recorded(List<JsonNode> chunks, Map<String, Object> endFacts) {
        JsonNode end() {
            return normalise(M.valueToTree(endFacts));
        }
    }

    private static Recorded replay(ProviderAdapter adapter, InboundRequest req, byte[] sse, List<Integer> cuts, List<String> ignore) {
        List<JsonNode> chunks = new ArrayList<>();
        Map<String, Object> end = new LinkedHashMap<>();
        StreamTranslator t = adapter.newStreamTranslator(req, req.clientWantsUsage());
        StreamSink sink = new StreamSink() {
            @Override
            public void chunk(Buffer bytes, boolean content) {
                String s = bytes.toString().trim();
                assertThat(s).startsWith("data:");
                try {
                    chunks.add(strip(M.readTree(s.substring(5).trim()), ignore));
                } catch (IOException e) {
                    throw new AssertionError("emitted chunk is not JSON: " + s, e);
                }
            }

            @Override
            public void usage(Usage usage) {
                end.put("usage", usageJson(usage));
            }

            @Override
            public void error(UpstreamFailure failure) {
                end.put("error", failure.kind().name());
            }

            @Override
            public void done(String finishReason) {
                end.put("done", true);
                if (finishReason != null) end.put("finish_reason", finishReason);
            }
        };
        // like the relay: nothing after the translator said done or error reaches it
        SseFramer framer = new SseFramer(ev -> {
            if (!end.containsKey("done") && !end.containsKey("error")) t.onEvent(ev, sink);
        });
        int pos = 0;
        for (int cut : cuts) {
            framer.feed(Buffer.buffer().appendBytes(sse, pos, cut - pos));
            pos = cut;
        }
        framer.end();
        if (!end.containsKey("done") && !end.containsKey("error")) t.onEnd(sink);
        return new Recorded(chunks, end);
    }

    static JsonNode usageJson(Usage u) {
        if (u == null) return M.nullNode();
        ObjectNode o = M.createObjectNode();
        o.put("input", u.inputTokens());
        o.put("cached", u.cachedTokens());
        o.put("cache_write", u.cacheWriteTokens());
        o.put("output", u.outputTokens());
        o.put("reasoning", u.reasoningTokens());
        return o;
    }

    /** Re-reads a built tree so numbers compare by value (an int read back equals a long put in). */
    static JsonNode normalise(JsonNode n) {
        try {
            return M.readTree(M.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path p) throws IOException {
        return M.readTree(p.toFile());
    }

    /** Removes the named fields (ids, timestamps) everywhere in the tree. */
    static JsonNode strip(JsonNode n, List<String> ignore) {
        if (n instanceof ObjectNode o) {
            o.remove(ignore);
            o.forEach(c -> strip(c, ignore));
        } else if (n instanceof ArrayNode a) {
            a.forEach(c -> strip(c, ignore));
        }
        return n;
    }

    /** The provider a fixture's {@code case.json} describes; also used by the translator benchmarks (src/jmh). */
    static ProviderConfig providerConfig(JsonNode p) {
        Map<String, String> options = new LinkedHashMap<>();
        p.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        Map<String, String> headers = new LinkedHashMap<>();
        p.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new ProviderConfig(p.path("name").asText("p"), p.get("type").asText(),
                p.hasNonNull("base_url") ? p.get("base_url").asText() : null,
                p.hasNonNull("api_key") ? Secret.of(p.get("api_key").asText(), "inline") : null,
                Timeouts.NONE, headers, options, null, 16, null);
    }
}
