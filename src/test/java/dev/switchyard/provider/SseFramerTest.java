package dev.switchyard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseFramerTest {
    /** An event as the tests compare it: the event name, the joined data, and the raw bytes. */
    record Ev(String event, String data, String raw) {
        static Ev of(SseEvent e) {
            return new Ev(e.event(), e.data().toString(StandardCharsets.UTF_8), e.raw().toString(StandardCharsets.UTF_8));
        }
    }

    private static List<Ev> frame(String... chunks) {
        List<Ev> out = new ArrayList<>();
        SseFramer f = new SseFramer(e -> out.add(Ev.of(e)));
        for (String c : chunks) f.feed(Buffer.buffer(c));
        f.end();
        return out;
    }

    private static List<String> data(List<Ev> evs) {
        return evs.stream().map(Ev::data).toList();
    }

    @Test
    void lineFeeds() {
        assertThat(frame("data: a\n\ndata: b\n\n")).containsExactly(
                new Ev(null, "a", "data: a\n\n"), new Ev(null, "b", "data: b\n\n"));
    }

    @Test
    void crlfLineEnds() {
        assertThat(frame("data: a\r\n\r\ndata: b\r\n\r\n")).containsExactly(
                new Ev(null, "a", "data: a\r\n\r\n"), new Ev(null, "b", "data: b\r\n\r\n"));
    }

    @Test
    void bareCrLineEnds() {
        assertThat(data(frame("data: a\r\rdata: b\r\r"))).containsExactly("a", "b");
        // a CR at the end of a chunk may be half of a CRLF: the next chunk decides
        assertThat(frame("data: a\r", "\n\r", "\ndata: b\r\n\r\n")).containsExactly(
                new Ev(null, "a", "data: a\r\n\r\n"), new Ev(null, "b", "data: b\r\n\r\n"));
    }

    @Test
    void mixedLineEndsInOneEvent() {
        assertThat(data(frame("data: a\r\ndata: b\rdata: c\n\n"))).containsExactly("a\nb\nc");
    }

    @Test
    void dataWithAndWithoutTheSpace() {
        assertThat(data(frame("data:{\"a\":1}\n\ndata: {\"a\":2}\n\ndata:  two spaces\n\ndata\n\n")))
                .containsExactly("{\"a\":1}", "{\"a\":2}", " two spaces", "");
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        assertThat(frame("data: {\"a\":\ndata: 1}\n\n")).containsExactly(new Ev(null, "{\"a\":\n1}", "data: {\"a\":\ndata: 1}\n\n"));
    }

    @Test
    void commentsAndOtherFieldsAreSkipped() {
        assertThat(frame(": keep-alive\n\n: OPENROUTER PROCESSING\n\nid: 7\nretry: 100\n: note\ndata: x\n\n"))
                .extracting(Ev::data).containsExactly("x");
        // an event with no data line is not dispatched
        assertThat(frame("event: ping\n\n")).isEmpty();
    }

    @Test
    void eventField() {
        assertThat(frame("event: message_start\ndata: {}\n\nevent:content_block_delta\ndata: {\"i\":0}\n\n")).containsExactly(
                new Ev("message_start", "{}", "event: message_start\ndata: {}\n\n"),
                new Ev("content_block_delta", "{\"i\":0}", "event:content_block_delta\ndata: {\"i\":0}\n\n"));
    }

    @Test
    void fieldNamesAreExact() {
        // "datum:" and "Data:" are unknown fields, not data
        assertThat(frame("datum: x\nData: y\ndata: z\n\n")).extracting(Ev::data).containsExactly("z");
    }

    @Test
    void finalEventWithoutBlankLineCountsAtEnd() {
        assertThat(data(frame("data: a\n\ndata: [DONE]"))).containsExactly("a", "[DONE]");
        assertThat(data(frame("data: a\n\ndata: [DONE]\n"))).containsExactly("a", "[DONE]");
        assertThat(data(frame("data: a\n\ndata: [DONE]\r"))).containsExactly("a", "[DONE]");
        assertThat(frame("data: a\n\n: trailing comment")).extracting(Ev::data).containsExactly("a");
        assertThat(frame("")).isEmpty();
    }

    @Test
    void nothingIsEmittedBeforeTheBlankLine() {
        List<Ev> out = new ArrayList<>();
        SseFramer f = new SseFramer(e -> out.add(Ev.of(e)));
        f.feed(Buffer.buffer("data: a\n"));
        assertThat(out).isEmpty();
        f.feed(Buffer.buffer("\n"));
        assertThat(out).extracting(Ev::data).containsExactly("a");
        f.end();
        assertThat(out).hasSize(1);
    }

    @Test
    void anUnfinishedTailSurvivesTheCallerReusingItsBuffer() {
        List<SseEvent> out = new ArrayList<>();
        SseFramer f = new SseFramer(out::add);
        Buffer chunk = Buffer.buffer("data: a");
        f.feed(chunk);
        chunk.setBytes(0, "XXXXXXX".getBytes(StandardCharsets.US_ASCII)); // the caller recycles its buffer
        f.feed(Buffer.buffer("bc\n\ndata: x"));
        f.end();
        assertThat(out).extracting(e -> e.data().toString()).containsExactly("abc", "x");
    }

    @Test
    void multiByteCharactersSplitAcrossChunks() {
        byte[] bytes = "data: héllo ✓ 😀\n\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            List<Ev> out = new ArrayList<>();
            SseFramer f = new SseFramer(e -> out.add(Ev.of(e)));
            f.feed(Buffer.buffer().appendBytes(bytes, 0, cut));
            f.feed(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut));
            f.end();
            assertThat(out).extracting(Ev::data).as("cut at %d", cut).containsExactly("héllo ✓ 😀");
        }
    }

    // ---- property: chunk boundaries never change the events ----

    private static final String[] EOLS = {"\n", "\r\n", "\r"};
    private static final String ALPHABET = "abcXYZ019 {}[]\":,.-_é✓😀\\";

    /** One generated event and the bytes it was written as. */
    record Generated(String event, String data, byte[] bytes) {}

    private static Generated randomEvent(Random rnd) {
        StringBuilder s = new StringBuilder();
        String eol = EOLS[rnd.nextInt(EOLS.length)];
        if (rnd.nextInt(4) == 0) s.append(": comment ").append(rnd.nextInt(100)).append(eol);
        String event = null;
        if (rnd.nextInt(3) == 0) {
            event = "ev" + rnd.nextInt(10);
            s.append("event:").append(rnd.nextBoolean() ? " " : "").append(event).append(eol);
        }
        int lines = 1 + rnd.nextInt(3);
        List<String> parts = new ArrayList<>();
        for (int l = 0; l < lines; l++) {
            StringBuilder line = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) line.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, rnd.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
            // a value starting with a space would lose it to the optional separator space
            String value = line.toString().stripLeading();
            parts.add(value);
            s.append("data:").append(rnd.nextBoolean() ? " " : "").append(value).append(eol);
            if (rnd.nextInt(5) == 0) s.append("id: ").append(rnd.nextInt(1000)).append(eol);
        }
        s.append(eol);
        return new Generated(event, String.join("\n", parts), s.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void randomEventsCutAtRandomBoundariesGiveTheSameEvents() {
        Random rnd = new Random(20240611L);
        for (int iteration = 0; iteration < 500; iteration++) {
            int n = 1 + rnd.nextInt(12);
            List<Generated> events = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                Generated g = randomEvent(rnd);
                events.add(g);
                stream.writeBytes(g.bytes());
            }
            byte[] all = stream.toByteArray();

            List<Ev> whole = new ArrayList<>();
            SseFramer wf = new SseFramer(e -> whole.add(Ev.of(e)));
            wf.feed(Buffer.buffer(all));
            wf.end();

            assertThat(whole).as("iteration %d: %s", iteration, new String(all, StandardCharsets.UTF_8)).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(whole.get(i).event()).isEqualTo(events.get(i).event());
                assertThat(whole.get(i).data()).isEqualTo(events.get(i).data());
                // all but a last event ending in a bare CR are dispatched with exactly their own bytes
                if (i < n - 1) assertThat(whole.get(i).raw()).isEqualTo(new String(events.get(i).bytes(), StandardCharsets.UTF_8));
            }

            for (int split = 0; split < 8; split++) {
                List<Ev> cut = new ArrayList<>();
                SseFramer cf = new SseFramer(e -> cut.add(Ev.of(e)));
                List<Integer> cuts = new ArrayList<>();
                int pos = 0;
                while (pos < all.length) {
                    int next = Math.min(all.length, pos + 1 + rnd.nextInt(split % 2 == 0 ? 4 : Math.max(1, all.length / 3)));
                    cuts.add(next);
                    cf.feed(Buffer.buffer().appendBytes(all, pos, next - pos));
                    pos = next;
                }
                cf.end();
                assertThat(cut).as("iteration %d cut at %s", iteration, cuts).isEqualTo(whole);
            }
        }
    }
}
