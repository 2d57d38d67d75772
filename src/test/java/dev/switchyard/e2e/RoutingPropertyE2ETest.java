package dev.switchyard.e2e;

import static dev.switchyard.testkit.OpenAiErrors.assertErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchyard.testkit.MockUpstream;
import dev.switchyard.testkit.OpenAiBodies;
import dev.switchyard.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The promise of the routing layer as a property: whatever a random script of upstream faults over two or
 * three targets does, the client gets either one complete valid answer — ending in {@code [DONE]}, its text
 * exactly one upstream's text, never two spliced — or an explicit error; never a truncated "success".
 *
 * <p>Beyond that safety property each exchange is checked against a model of the routing rules: which target
 * answers, which are asked at all, whether a stream is cut (only after its first token) and which status an
 * all-failed request gets. The seed is fixed so a failure replays; the message names the seed, the iteration
 * and the script.
 */
class RoutingPropertyE2ETest extends RoutingSupport {
    private static final long SEED = 0x5EED_4_2025L;
    private static final int ITERATIONS = 160;
    /** Short, so timeouts stay cheap; long enough that a healthy loopback answer never trips them, even on a busy machine. */
    private static final String TIMEOUTS = "{ first_token: 400ms, idle: 400ms, total: 800ms }";
    private static final String[] WORDS = {" alpha", " beta", " gamma"};
    private static final String CUT = "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\" cut\n\n";

    /** What one upstream does for one request; {@code k} = how many of its frames go out before the fault. */
    enum Kind { OK, OK_WITHOUT_DONE, S500, S503, S529, S429, S404, S400, DROP, HANG, DROP_AFTER, STALL_AFTER, END_AFTER, MALFORMED_AT, ERROR_AT }

    private static final Kind[] KINDS = Kind.values();
    /** Relative frequency of each kind: the two that cost a timeout on a plain request are rarer. */
    private static final int[] WEIGHT = {6, 2, 2, 2, 1, 2, 1, 1, 2, 1, 3, 1, 2, 2, 3};

    record Fault(Kind kind, int k) {
        @Override
        public String toString() {
            return kind + (kind.ordinal() >= Kind.DROP_AFTER.ordinal() ? "@" + k : "");
        }
    }

    /** What the model of the rules expects one attempt to do. */
    enum Effect { FAILS_OVER, ANSWERS, CUT_AFTER_CONTENT, CLIENT_ERROR }

    @Test
    void theClientGetsAWholeAnswerOrAnExplicitErrorNeverATruncatedSuccess() {
        for (String p : List.of("pa", "pb", "pc")) timeouts.put(p, TIMEOUTS);
        gateway("  two:\n    targets: [pa/model-a, pb/model-b]\n  three:\n    targets: [pa/model-a, pb/model-b, pc/model-c]\n", "");
        MockUpstream[] mocks = {a, b, c};
        String[] ids = {"pa/model-a", "pb/model-b", "pc/model-c"};
        Random rnd = new Random(SEED);
        int answered = 0, cut = 0, failed = 0;

        for (int iter = 0; iter < ITERATIONS; iter++) {
            clock.advance(Duration.ofHours(1)); // every breaker half-open, every cooldown over: each iteration starts fresh
            int n = rnd.nextBoolean() ? 2 : 3;
            boolean stream = rnd.nextInt(3) > 0;
            Fault[] script = new Fault[n];
            for (MockUpstream m : mocks) m.reset();
            for (int t = 0; t < n; t++) {
                script[t] = randomFault(rnd);
                mocks[t].enqueue(reply(script[t], t, iter));
            }
            String context = "seed " + SEED + ", iteration " + iter + ", stream=" + stream + ", script " + List.of(script);

            Seen r = send(body(n == 2 ? "two" : "three", stream));

            // the model: walk the targets as the rules say
            int decider = -1;
            Effect effect = Effect.FAILS_OVER;
            for (int t = 0; t < n && decider < 0; t++) {
                effect = effect(script[t], stream);
                if (effect != Effect.FAILS_OVER) decider = t;
            }
            for (int t = 0; t < 3; t++) {
                boolean asked = t < n && (decider < 0 || t <= decider);
                assertThat(mocks[t].requestCount()).as("%s: requests to %s", context, ids[t]).isEqualTo(asked ? 1 : 0);
            }

            assertSafe(r, context);
            switch (effect) {
                case ANSWERS -> {
                    answered++;
                    assertThat(r.status()).as(context).isEqualTo(200);
                    assertThat(r.text()).as(context).isEqualTo(text(decider, iter));
                    assertThat(r.outcome().target()).as(context).isEqualTo(ids[decider]);
                    assertThat(r.outcome().truncated()).as(context).isFalse();
                }
                case CUT_AFTER_CONTENT -> {
                    cut++;
                    assertThat(r.status()).as(context).isEqualTo(200);
                    assertThat(r.endsWithDone()).as(context).isFalse();
                    assertThat(r.error()).as(context).isNotNull();
                    assertThat(r.outcome().target()).as(context).isEqualTo(ids[decider]);
                    assertThat(r.outcome().truncated()).as(context).isTrue();
                }
                case CLIENT_ERROR -> {
                    failed++;
                    assertThat(r.status()).as(context).isEqualTo(400);
                    assertThat(r.outcome().target()).as(context).isEqualTo(ids[decider]);
                }
                case FAILS_OVER -> {
                    failed++;
                    assertThat(r.status()).as(context).isEqualTo(allFailedStatus(script, stream));
                }
            }
            int attempts = (decider < 0 ? n : decider + 1) + (effect == Effect.CUT_AFTER_CONTENT ? 1 : 0); // + the break
            assertThat(r.outcome().attempts().attempts()).as(context).hasSize(attempts);
        }
        // the script generator must actually reach every kind of ending
        assertThat(answered).isGreaterThan(ITERATIONS / 5);
        assertThat(cut).isGreaterThan(ITERATIONS / 20);
        assertThat(failed).isGreaterThan(ITERATIONS / 20);
    }

    /** The property itself, independent of the model. */
    private static void assertSafe(Seen r, String context) {
        assertThat(r.outcome().status()).as(context).isEqualTo(r.status());
        if (r.status() != 200) {
            assertErrorBody(r.body(), json(r.body()));
            assertThat(r.isStream()).as(context).isFalse();
            return;
        }
        String provider = r.header("x-switchyard-provider");
        int t = "pa".equals(provider) ? 0 : "pb".equals(provider) ? 1 : 2;
        assertThat(r.models()).as("%s: every chunk from the one answering upstream", context).isNotEmpty().allMatch(("model-" + "abc".charAt(t))::equals);
        String whole = textOf(r.text());
        assertThat(r.text().charAt(1) - '0').as("%s: the text is the answering upstream's", context).isEqualTo(t);
        if (!r.isStream()) {
            assertThat(r.text()).as(context).isEqualTo(whole);
            return;
        }
        List<String> events = r.events();
        String last = events.get(events.size() - 1);
        if (last.equals("[DONE]")) {
            assertThat(r.body()).as(context).doesNotContain("\"error\"");
            assertThat(events.stream().filter("[DONE]"::equals).count()).as(context).isEqualTo(1);
            assertThat(r.text()).as("%s: a stream ending in [DONE] carries a whole answer", context).isEqualTo(whole);
            assertThat(r.outcome().truncated()).as(context).isFalse();
        } else {
            JsonNode e = assertErrorBody(last, json(last)).get("code");
            assertThat(e.asText()).as(context).isIn("stream_broken", "stream_timeout");
            assertThat(r.body()).as(context).doesNotContain("[DONE]");
            assertThat(whole).as("%s: the cut answer is a prefix of one upstream's text", context).startsWith(r.text());
            assertThat(r.outcome().truncated()).as(context).isTrue();
        }
    }

    /** The whole text of the upstream whose text {@code seen} starts like (texts differ from their first token on). */
    private static String textOf(String seen) {
        int dot = seen.indexOf('.');
        assertThat(seen).as("content starts with its upstream's tag").matches("t[012]\\.\\d+.*");
        int t = seen.charAt(1) - '0';
        int end = dot + 1;
        while (end < seen.length() && Character.isDigit(seen.charAt(end))) end++;
        return text(t, Integer.parseInt(seen.substring(dot + 1, end)));
    }

    private static String text(int target, int iter) {
        return String.join("", pieces(target, iter));
    }

    private static String[] pieces(int target, int iter) {
        String[] p = new String[WORDS.length + 1];
        p[0] = "t" + target + "." + iter;
        System.arraycopy(WORDS, 0, p, 1, WORDS.length);
        return p;
    }

    private static Fault randomFault(Random rnd) {
        int total = 0;
        for (int w : WEIGHT) total += w;
        int x = rnd.nextInt(total);
        int i = 0;
        while (x >= WEIGHT[i]) x -= WEIGHT[i++];
        // frames of a stream: role, one per piece, finish, usage; k may be any count of them
        return new Fault(KINDS[i], rnd.nextInt(WORDS.length + 5));
    }

    /** Index of the finish chunk among a stream's frames (role, then the pieces). */
    private static final int FINISH = 1 + WORDS.length + 1;

    private static Effect effect(Fault f, boolean stream) {
        int k = f.k();
        return switch (f.kind()) {
            case OK, OK_WITHOUT_DONE -> Effect.ANSWERS;
            case S400 -> Effect.CLIENT_ERROR;
            case S500, S503, S529, S429, S404, DROP, HANG -> Effect.FAILS_OVER;
            // the first content frame is frame 1: a fault after fewer than two frames is still before it
            case DROP_AFTER, STALL_AFTER, MALFORMED_AT, ERROR_AT -> !stream || k < 2 ? Effect.FAILS_OVER : Effect.CUT_AFTER_CONTENT;
            // a clean end after the finish chunk is a whole answer even without [DONE]
            case END_AFTER -> !stream || k < 2 ? Effect.FAILS_OVER : k > FINISH ? Effect.ANSWERS : Effect.CUT_AFTER_CONTENT;
        };
    }

    /** 504 when every attempt timed out, 503 when every one was unavailable, else 502. */
    private static int allFailedStatus(Fault[] script, boolean stream) {
        boolean allTimeouts = true, allUnavailable = true;
        for (Fault f : script) {
            boolean timeout = f.kind() == Kind.HANG || f.kind() == Kind.STALL_AFTER;
            boolean unavailable = f.kind() == Kind.S429 || f.kind() == Kind.S503 || f.kind() == Kind.S529;
            allTimeouts &= timeout;
            allUnavailable &= unavailable;
        }
        return allTimeouts ? 504 : allUnavailable ? 503 : 502;
    }

    private static Reply reply(Fault f, int target, int iter) {
        String[] pieces = pieces(target, iter);
        return Reply.dynamic(r -> r.stream() ? streamed(f, r.model(), r.includeUsage(), pieces) : plain(f, r.model(), pieces));
    }

    private static Reply streamed(Fault f, String model, boolean usage, String[] pieces) {
        List<String> frames = new ArrayList<>();
        for (String c : OpenAiBodies.textChunks(model, usage, pieces)) frames.add(Reply.data(c));
        int k = Math.min(f.k(), frames.size());
        List<String> withDone = new ArrayList<>(frames);
        withDone.add(Reply.DONE);
        return switch (f.kind()) {
            case OK -> Reply.rawSse(withDone);
            case OK_WITHOUT_DONE -> Reply.rawSse(frames);
            case DROP_AFTER -> Reply.rawSse(frames).dropAfter(k);
            case STALL_AFTER -> Reply.rawSse(frames).hangAfter(k);
            case END_AFTER -> Reply.rawSse(frames.subList(0, k));
            case MALFORMED_AT -> {
                List<String> out = new ArrayList<>(withDone.subList(0, k));
                out.add(CUT);
                out.addAll(withDone.subList(k, withDone.size()));
                yield Reply.rawSse(out);
            }
            case ERROR_AT -> Reply.rawSse(withDone).errorAfter(k, OpenAiBodies.error("server_error", null, null, "crashed"));
            default -> failure(f);
        };
    }

    private static Reply plain(Fault f, String model, String[] pieces) {
        return switch (f.kind()) {
            case OK, OK_WITHOUT_DONE -> Reply.json(OpenAiBodies.chatCompletion(model, String.join("", pieces)));
            case DROP_AFTER -> Reply.rawSse(List.of("{\"id\":\"chatcmpl-")).dropAfter(1);
            case STALL_AFTER -> Reply.rawSse(List.of("{\"id\":\"chatcmpl-")).hangAfter(1);
            case END_AFTER -> Reply.json("{\"id\":\"chatcmpl-1\",\"choices\":[");
            case MALFORMED_AT -> Reply.json("<html>bad gateway</html>");
            case ERROR_AT -> Reply.json(OpenAiBodies.error("server_error", null, null, "crashed"));
            default -> failure(f);
        };
    }

    private static Reply failure(Fault f) {
        return switch (f.kind()) {
            case S500 -> Reply.error(500, "server_error", null, "boom");
            case S503 -> Reply.error(503, "server_error", null, "overloaded");
            case S529 -> Reply.error(529, "overloaded_error", null, "overloaded");
            case S429 -> Reply.error(429, "rate_limit_error", null, "slow down");
            case S404 -> Reply.error(404, "invalid_request_error", "model_not_found", "no such model");
            case S400 -> Reply.error(400, "invalid_request_error", "invalid_value", "bad request");
            case DROP -> Reply.drop();
            case HANG -> Reply.hang();
            default -> throw new IllegalArgumentException(f.toString());
        };
    }
}
