package dev.switchyard.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.config.ProviderConfig;
import dev.switchyard.config.SimulationSpec;
import dev.switchyard.provider.UpstreamCall;
import dev.switchyard.provider.UpstreamException;
import dev.switchyard.provider.UpstreamRequest;
import dev.switchyard.provider.UpstreamResponse;
import dev.switchyard.provider.UpstreamTransport;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process provider that answers in OpenAI's wire format with deterministic text, a configurable
 * first-token latency and speed, and deterministic failures. It sits behind the same transport
 * interface as HTTP providers, so demos and load tests run the real routing and streaming code.
 */
public final class SimulatedTransport implements UpstreamTransport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] WORDS = ("switchyard routes every request to the first healthy provider in its "
            + "priority list and tells you who answered how fast and at what cost so a team can move traffic "
            + "to cheaper faster models without changing a line of application code").split(" ");

    private final Vertx vertx;
    private final String providerName;
    private final SimulationSpec spec;
    private final AtomicLong requests = new AtomicLong();

    public SimulatedTransport(Vertx vertx, ProviderConfig provider) {
        this.vertx = vertx;
        this.providerName = provider.name();
        this.spec = provider.simulate() == null ? SimulationSpec.DEFAULT : provider.simulate();
    }

    /** Deterministic failure schedule: with rate r, request n fails when floor((n+1)r) > floor(nr). */
    boolean shouldFail(long n) {
        double r = spec.failureRate();
        return r > 0 && Math.floor((n + 1) * r) > Math.floor(n * r);
    }

    @Override
    public UpstreamCall send(UpstreamRequest request) {
        long n = requests.getAndIncrement();
        JsonNode body;
        try {
            body = MAPPER.readTree(request.body().getBytes());
        } catch (IOException e) {
            return UpstreamCall.of(Future.succeededFuture(respond(400, json(),
                    errorBody("could not parse the request body", "invalid_request_error"))), () -> { });
        }
        String model = body.path("model").asText("simulated");
        boolean fail = shouldFail(n);
        Exchange ex = new Exchange();
        if (fail && spec.failure() == SimulationSpec.Failure.HANG) return UpstreamCall.of(ex.promise.future(), ex::cancel);
        long delay = Math.max(1, spec.firstToken().toMillis());
        ex.timer = vertx.setTimer(delay, t -> {
            if (ex.cancelled) return;
            if (fail) {
                switch (spec.failure()) {
                    case STATUS -> ex.promise.tryComplete(respond(spec.failureStatus(), json(),
                            errorBody("simulated failure of " + providerName + " (status " + spec.failureStatus() + ")", "server_error")));
                    case DROP -> ex.promise.tryFail(UpstreamException.dropped(providerName + " (simulated)", null));
                    default -> answer(ex, request, body, model, true);
                }
                return;
            }
            answer(ex, request, body, model, false);
        });
        return UpstreamCall.of(ex.promise.future(), ex::cancel);
    }

    private void answer(Exchange ex, UpstreamRequest request, JsonNode body, String model, boolean dropMidStream) {
        if (request.absoluteUrl().endsWith("/embeddings")) {
            ex.promise.tryComplete(respond(200, json(), embeddings(body, model)));
            return;
        }
        int promptTokens = Math.max(1, request.body().length() / 4);
        List<String> words = words(body, spec.outputTokens());
        String id = "chatcmpl-sim-" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        if (!request.stream()) {
            if (dropMidStream) {
                ex.body.fail(new IOException("connection closed by " + providerName + " mid-response (simulated)"));
                ex.promise.tryComplete(response(200, json(), ex));
                return;
            }
            String text = String.join(" ", words);
            ex.timer = vertx.setTimer(streamMillis(words.size()), t -> {
                ex.body.push(Buffer.buffer(completion(id, created, model, text, promptTokens, words.size())));
                ex.body.end();
            });
            ex.promise.tryComplete(response(200, json(), ex));
            return;
        }
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        MultiMap sse = MultiMap.caseInsensitiveMultiMap().set("content-type", "text/event-stream");
        ex.promise.tryComplete(response(200, sse, ex));
        List<String> chunks = new ArrayList<>(words.size() + 3);
        chunks.add(chunk(id, created, model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (int i = 0; i < words.size(); i++) {
            chunks.add(chunk(id, created, model, "{\"content\":" + quote((i == 0 ? "" : " ") + words.get(i)) + "}", null));
        }
        chunks.add(chunk(id, created, model, "{}", "stop"));
        if (usage) {
            chunks.add("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":"
                    + quote(model) + ",\"choices\":[],\"usage\":" + usageJson(promptTokens, words.size()) + "}");
        }
        int cut = dropMidStream ? Math.max(2, chunks.size() / 2) : -1;
        double perToken = spec.tokensPerSecond() <= 0 ? 0 : 1000.0 / spec.tokensPerSecond();
        emit(ex, chunks, 0, perToken, cut);
    }

    private void emit(Exchange ex, List<String> chunks, int from, double perTokenMs, int cut) {
        if (ex.cancelled) return;
        int i = from;
        // emit every chunk that is due now; schedule the rest
        do {
            if (i == cut) {
                ex.body.fail(new IOException("connection closed by " + providerName + " mid-stream (simulated)"));
                return;
            }
            if (i == chunks.size()) {
                ex.body.push(Buffer.buffer("data: [DONE]\n\n"));
                ex.body.end();
                return;
            }
            ex.body.push(Buffer.buffer("data: " + chunks.get(i) + "\n\n"));
            i++;
        } while (perTokenMs < 1 || i <= 1);
        int next = i;
        ex.timer = vertx.setTimer(Math.max(1, Math.round(perTokenMs)), t -> emit(ex, chunks, next, perTokenMs, cut));
    }

    private long streamMillis(int tokens) {
        return spec.tokensPerSecond() <= 0 ? 1 : Math.max(1, Math.round(tokens * 1000.0 / spec.tokensPerSecond()));
    }

    private static List<String> words(JsonNode body, int count) {
        int seed = body.path("messages").toString().hashCode();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(WORDS[Math.floorMod(seed + i * 7, WORDS.length)]);
        return out;
    }

    private static String completion(String id, long created, String model, String text, int prompt, int completion) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created + ",\"model\":" + quote(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(text)
                + "},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":" + usageJson(prompt, completion)
                + ",\"system_fingerprint\":\"switchyard-simulated\"}";
    }

    private static String chunk(String id, long created, String model, String delta, String finish) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":" + quote(model)
                + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static String usageJson(int prompt, int completion) {
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}";
    }

    private static Buffer embeddings(JsonNode body, String model) {
        JsonNode input = body.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) input.forEach(i -> inputs.add(i.toString()));
        else inputs.add(input.asText());
        StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String s = inputs.get(i);
            tokens += Math.max(1, s.length() / 4);
            if (i > 0) b.append(',');
            b.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
            int h = s.hashCode();
            for (int d = 0; d < 8; d++) {
                if (d > 0) b.append(',');
                b.append(((h >>> (d * 4)) & 0xF) / 15.0 - 0.5);
            }
            b.append("]}");
        }
        b.append("],\"model\":").append(quote(model)).append(",\"usage\":{\"prompt_tokens\":").append(tokens)
                .append(",\"total_tokens\":").append(tokens).append("}}");
        return Buffer.buffer(b.toString());
    }

    private static Buffer errorBody(String message, String type) {
        return Buffer.buffer("{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}");
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MultiMap json() {
        return MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
    }

    private UpstreamResponse respond(int status, MultiMap headers, Buffer body) {
        Exchange ex = new Exchange();
        ex.body.push(body);
        ex.body.end();
        return response(status, headers, ex);
    }

    private UpstreamResponse response(int status, MultiMap headers, Exchange ex) {
        headers.set("x-switchyard-simulated", "true");
        return new UpstreamResponse() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public MultiMap headers() {
                return headers;
            }

            @Override
            public ReadStream<Buffer> body() {
                return ex.body;
            }

            @Override
            public void cancel() {
                ex.cancel();
            }
        };
    }

    /** One simulated exchange: its pending timer, its body, and whether the caller gave up. */
    private final class Exchange {
        final Promise<UpstreamResponse> promise = Promise.promise();
        final QueuedBody body = new QueuedBody();
        long timer = -1;
        boolean cancelled;

        void cancel() {
            cancelled = true;
            if (timer >= 0) vertx.cancelTimer(timer);
            promise.tryFail(new IOException("cancelled"));
        }
    }
}
