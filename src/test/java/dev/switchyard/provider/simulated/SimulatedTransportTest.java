package dev.switchyard.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.SimulationSpec;
import dev.switchyard.config.Timeouts;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.provider.ProviderAdapter;
import dev.switchyard.provider.ProviderRegistry;
import dev.switchyard.provider.SseEvent;
import dev.switchyard.provider.SseFramer;
import dev.switchyard.provider.StreamSink;
import dev.switchyard.provider.StreamTranslator;
import dev.switchyard.provider.UpstreamFailure;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.web.RequestScanner;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedTransportTest {
    private static final ObjectMapper M = new ObjectMapper();
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static ProviderConfig provider(SimulationSpec spec) {
        return new ProviderConfig("sim", "simulated", null, null, Timeouts.NONE, Map.of(), Map.of(), null, 4, spec);
    }

    private static SimulationSpec spec(double failureRate, SimulationSpec.Failure failure, int outputTokens) {
        // tokens_per_second 0: the whole answer at once, so no test waits on pacing
        return new SimulationSpec(Duration.ofMillis(1), 0, outputTokens, failureRate, failure, 503);
    }

    private static UpstreamRequest request(String json, boolean stream) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
        return new UpstreamRequest("http://simulated.invalid/v1/chat/completions", h, Buffer.buffer(json), stream);
    }

    record Answer(int status, String body, Throwable failure) {}

    /** Sends one request and reads the whole answer; a body that breaks off is reported as its failure. */
    private static Answer send(SimulatedTransport t, UpstreamRequest r) throws Exception {
        Promise<Answer> answer = Promise.promise();
        // on an event loop, like the gateway: the transport's state is confined to the request's loop
        vertx.getOrCreateContext().runOnContext(x -> t.send(r).response().compose(resp -> {
            Promise<Answer> p = Promise.promise();
            Buffer acc = Buffer.buffer();
            resp.body().handler(acc::appendBuffer);
            resp.body().exceptionHandler(e -> p.tryComplete(new Answer(resp.status(), acc.toString(), e)));
            resp.body().endHandler(v -> p.tryComplete(new Answer(resp.status(), acc.toString(), null)));
            resp.body().resume();
            return p.future();
        }).onComplete(answer));
        return answer.future().await(20, TimeUnit.SECONDS);
    }

    private static final String CHAT = "{\"model\":\"sim-large\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"sim-large\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM_USAGE = "{\"model\":\"sim-large\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void failureScheduleIsExactAndDeterministic() {
        SimulatedTransport quarter = new SimulatedTransport(vertx, provider(spec(0.25, SimulationSpec.Failure.STATUS, 3)));
        for (long n = 0; n < 400; n++) assertThat(quarter.shouldFail(n)).as("request %d", n).isEqualTo(n % 4 == 3);
        for (double rate : new double[] {0.1, 0.34, 0.5, 0.9}) {
            SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(rate, SimulationSpec.Failure.STATUS, 3)));
            long failures = 0;
            for (long n = 0; n < 100; n++) if (t.shouldFail(n)) failures++;
            assertThat(failures).as("rate %s", rate).isEqualTo(Math.round(rate * 100));
        }
        SimulatedTransport never = new SimulatedTransport(vertx, provider(spec(0, SimulationSpec.Failure.STATUS, 3)));
        SimulatedTransport always = new SimulatedTransport(vertx, provider(spec(1, SimulationSpec.Failure.STATUS, 3)));
        for (long n = 0; n < 50; n++) {
            assertThat(never.shouldFail(n)).isFalse();
            assertThat(always.shouldFail(n)).isTrue();
        }
    }

    @Test
    void everyFourthRequestFailsWithTheConfiguredStatus() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(0.25, SimulationSpec.Failure.STATUS, 3)));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) statuses.add(send(t, request(CHAT, false)).status());
        assertThat(statuses).containsExactly(200, 200, 200, 503, 200, 200, 200, 503, 200, 200, 200, 503);
        SimulatedTransport down = new SimulatedTransport(vertx, provider(spec(1, SimulationSpec.Failure.STATUS, 3)));
        Answer failed = send(down, request(CHAT, false));
        assertThat(M.readTree(failed.body()).at("/error/type").asText()).isEqualTo("server_error");
    }

    @Test
    void nonStreamingAnswerIsAChatCompletionWithUsage() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(0, SimulationSpec.Failure.STATUS, 5)));
        Answer a = send(t, request(CHAT, false));
        assertThat(a.status()).isEqualTo(200);
        JsonNode b = M.readTree(a.body());
        assertThat(b.get("object").asText()).isEqualTo("chat.completion");
        assertThat(b.get("model").asText()).isEqualTo("sim-large");
        assertThat(b.at("/choices/0/message/content").asText().split(" ")).hasSize(5);
        assertThat(b.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(b.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(b.at("/usage/total_tokens").asInt()).isEqualTo(b.at("/usage/prompt_tokens").asInt() + 5);
        // the same question gets the same answer
        assertThat(M.readTree(send(t, request(CHAT, false)).body()).at("/choices/0/message/content"))
                .isEqualTo(b.at("/choices/0/message/content"));
    }

    private static List<String> events(String sse) {
        List<String> out = new ArrayList<>();
        SseFramer f = new SseFramer(e -> out.add(e.data().toString(StandardCharsets.UTF_8)));
        f.feed(Buffer.buffer(sse));
        f.end();
        return out;
    }

    @Test
    void streamIsWellFormedAndEndsWithDone() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(0, SimulationSpec.Failure.STATUS, 4)));
        Answer a = send(t, request(STREAM, true));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.failure()).isNull();
        assertThat(a.body()).endsWith("data: [DONE]\n\n");
        List<String> events = events(a.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) chunks.add(M.readTree(e));
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("model").asText()).isEqualTo("sim-large");
            assertThat(c.has("usage")).isFalse();
        });
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertThat(text.toString().split(" ")).hasSize(4);
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.stream().map(c -> c.get("id").asText()).distinct()).hasSize(1);
    }

    @Test
    void streamUsageOnlyWhenAskedFor() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(0, SimulationSpec.Failure.STATUS, 4)));
        List<String> events = events(send(t, request(STREAM_USAGE, true)).body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode usage = M.readTree(events.get(events.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isPositive();
        assertThat(M.readTree(events.get(events.size() - 3)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void dropMidStreamBreaksOffWithoutDone() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(1, SimulationSpec.Failure.DROP_MID_STREAM, 6)));
        Answer a = send(t, request(STREAM, true));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.failure()).isNotNull();
        assertThat(a.body()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
        assertThat(events(a.body())).isNotEmpty();
    }

    @Test
    void dropFailsTheCallBeforeAnyResponse() throws Exception {
        SimulatedTransport t = new SimulatedTransport(vertx, provider(spec(1, SimulationSpec.Failure.DROP, 3)));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> send(t, request(CHAT, false)));
        assertThat(failure).hasMessageContaining("upstream closed the connection before answering: sim (simulated)");
    }

    /**
     * Through the registry's adapter for type {@code simulated}: the gateway asks for stream usage the
     * client did not want, gets it counted, and the client's stream does not show it.
     */
    @Test
    void gatewayAskedUsageIsCountedAndHiddenFromTheClient() throws Exception {
        ProviderConfig p = provider(spec(0, SimulationSpec.Failure.STATUS, 4));
        ProviderRegistry registry = ProviderRegistry.standard();
        ProviderAdapter adapter = registry.adapter(p);
        InboundRequest in = RequestScanner.scan(STREAM.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        UpstreamRequest up = adapter.encode(in, p, "sim-large", true);
        assertThat(M.readTree(up.body().getBytes()).at("/stream_options/include_usage").asBoolean()).isTrue();

        SimulatedTransport t = (SimulatedTransport) registry.transport(vertx, p, Timeouts.DEFAULTS, n -> null);
        String sse = send(t, up).body();
        List<String> clientChunks = new ArrayList<>();
        List<Usage> usages = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        StreamTranslator tr = adapter.newStreamTranslator(in, in.clientWantsUsage());
        StreamSink sink = new StreamSink() {
            @Override
            public void chunk(Buffer bytes, boolean content) {
                clientChunks.add(bytes.toString());
            }

            @Override
            public void usage(Usage usage) {
                usages.add(usage);
            }

            @Override
            public void error(UpstreamFailure failure) {
                ends.add("error " + failure.message());
            }

            @Override
            public void done(String finishReason) {
                ends.add("done " + finishReason);
            }
        };
        SseFramer f = new SseFramer((SseEvent e) -> tr.onEvent(e, sink));
        f.feed(Buffer.buffer(sse));
        f.end();
        assertThat(ends).containsExactly("done stop");
        assertThat(usages).hasSize(1);
        assertThat(usages.get(0).outputTokens()).isEqualTo(4);
        assertThat(clientChunks).noneMatch(c -> c.contains("\"usage\""));
    }
}
