package dev.switchyard.provider.compat;

import static dev.switchyard.provider.compat.OpenAiWireSamples.assertAgrees;
import static dev.switchyard.provider.compat.OpenAiWireSamples.describe;
import static dev.switchyard.provider.compat.OpenAiWireSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiWire#scan} against the Jackson reference it replaces on the hot path, on real fixtures,
 * seeded variations of them, and every way of breaking them the tests could think of.
 */
class OpenAiWireDifferentialTest {
    private static final List<byte[]> GOLDEN = OpenAiWireSamples.golden();

    @Test
    void realResponsesAndChunksTakeTheFastPath() {
        assertThat(GOLDEN).hasSizeGreaterThan(100);
        List<String> fellBack = new ArrayList<>();
        int fast = 0;
        for (byte[] body : GOLDEN) {
            assertAgrees(body);
            boolean expectFast = OpenAiWire.scanWithJackson(body).wellFormed && !new String(body, StandardCharsets.UTF_8).contains("\"x_groq\"");
            if (OpenAiFactsScanner.scan(body) != null) fast++;
            else if (expectFast) fellBack.add(describe(body));
        }
        // if this fails, everything may be silently going to Jackson again
        assertThat(fellBack).isEmpty();
        System.out.printf("golden: %d samples, %d on the fast path%n", GOLDEN.size(), fast);
    }

    @Test
    void generatedVariationsAgree() {
        OpenAiWireGenerator gen = new OpenAiWireGenerator(20_250_101L);
        int n = 3000, fast = 0, usage = 0, reason = 0, content = 0, empty = 0, error = 0, notContent = 0;
        for (int i = 0; i < n; i++) {
            byte[] body = gen.next();
            assertAgrees(body);
            OpenAiWire.Facts f = OpenAiFactsScanner.scan(body);
            if (f == null) continue;
            fast++;
            if (f.usage != null) usage++;
            if (f.finishReason != null) reason++;
            if (f.content) content++;
            else notContent++;
            if (f.emptyChoices) empty++;
            if (f.error) error++;
        }
        System.out.printf("generated: %d, %d on the fast path%n", n, fast);
        // most variations are ordinary and must be answered fast; the odd ones must reach Jackson
        assertThat(fast).isBetween(n * 6 / 10, n - 50);
        // the fast path itself found every kind of fact, not only empty answers
        assertThat(List.of(usage, reason, content, notContent, empty, error)).allMatch(count -> count > 25);
    }

    @Test
    void everyTruncationAgrees() {
        List<byte[]> bodies = new ArrayList<>(GOLDEN.stream().filter(b -> b.length > 500).limit(6).toList());
        OpenAiWireGenerator gen = new OpenAiWireGenerator(7L);
        for (int i = 0; i < 4; i++) bodies.add(gen.next());
        int cuts = 0;
        for (byte[] body : bodies) {
            for (int len = 0; len <= body.length; len++) {
                assertAgrees(Arrays.copyOf(body, len));
                cuts++;
            }
        }
        assertThat(cuts).isGreaterThan(3000);
    }

    @Test
    void singleByteCorruptionsAgree() {
        Random r = new Random(424_242L);
        OpenAiWireGenerator gen = new OpenAiWireGenerator(99L);
        byte[] interesting = utf8("\"\\{}[],: \n0-.eE+tfnu/a");
        int[] nonAscii = {0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF};
        for (int i = 0; i < 4000; i++) {
            byte[] body = i % 2 == 0 ? GOLDEN.get(r.nextInt(GOLDEN.size())) : gen.next();
            if (body.length == 0) continue;
            int at = r.nextInt(body.length);
            byte with = switch (r.nextInt(3)) {
                case 0 -> interesting[r.nextInt(interesting.length)];
                case 1 -> (byte) nonAscii[r.nextInt(nonAscii.length)];
                default -> (byte) r.nextInt(256);
            };
            byte[] changed = switch (r.nextInt(3)) {
                case 0 -> replace(body, at, with);
                case 1 -> delete(body, at);
                default -> insert(body, at, with);
            };
            assertAgrees(changed);
        }
    }

    @Test
    void oddRootsWhitespaceAndEncodingsAgree() {
        byte[] basic = OpenAiWireSamples.fixture("openai/chat-basic/upstream-response.json");
        List<byte[]> inputs = new ArrayList<>();
        for (String s : new String[] {"", " ", "\n\t\r ", "{}", " {} ", "{ }", "{}garbage", "{} {", "{\"a\":1}}", "[]", "[{}]", "null", "true", "1",
                "-", "\"x\"", "<html><body>502</body></html>", "}", "{", "{\"", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "\u000b{}", "\f{}",
                "/*c*/{}", "#{}", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":+1}", "{\"a\":.5}",
                "{\"a\":1.}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":truex}", "{\"a\":[1,]}", "{\"a\":[,1]}"}) {
            inputs.add(utf8(s));
        }
        inputs.add(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, basic));
        inputs.add(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{}")));
        for (String cs : new String[] {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"}) {
            inputs.add(new String(basic, StandardCharsets.UTF_8).getBytes(Charset.forName(cs)));
            inputs.add("{}".getBytes(Charset.forName(cs)));
            inputs.add(" []".getBytes(Charset.forName(cs)));
        }
        inputs.add(new byte[] {0});
        inputs.add(new byte[] {'{', '}', 0, 0});
        inputs.add(new byte[] {0, '{', '}'});
        inputs.add(new byte[] {' ', 0, '{', 0, '}', 0});
        inputs.add(concat(basic, new byte[] {0, (byte) 0xFF}));
        inputs.add(concat(utf8("\r\n \t"), basic));
        inputs.forEach(OpenAiWireSamples::assertAgrees);
    }

    @Test
    void utf8InEveryKindOfStringAgrees() {
        int[][] sequences = {{0xC3, 0xA9}, {0xE6, 0x97, 0xA5}, {0xF0, 0x9F, 0x9A, 0x80}, {0xEF, 0xBF, 0xBF}, {0xF4, 0x8F, 0xBF, 0xBF},
                {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xE0, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xF0, 0x8F, 0xBF, 0xBF},
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0x80}, {0xBF}, {0xC3}, {0xE2, 0x82}, {0xF0, 0x9F, 0x9A},
                {0xC3, 0x28}, {0xE2, 0x28, 0xA1}, {0xF0, 0x9F, 0x28, 0x80}, {0xFE}, {0xFF}, {0x01}, {0x1F}, {0x7F}};
        String[] templates = {
                "{\"choices\":[{\"message\":{\"content\":\"a%sb\"},\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[{\"message\":{\"content\":\"%s\"},\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[{\"finish_reason\":\"st%sop\"}]}",
                "{\"model\":\"m%s\",\"usage\":{\"prompt_tokens\":1}}",
                "{\"k%s\":1,\"usage\":{\"prompt_tokens\":1}}",
                "{\"usage\":{\"prompt_tokens\":1,\"x%s\":2}}",
                "{\"meta\":{\"deep\":[\"%s\",{\"n%s\":1}]},\"choices\":[]}",
        };
        for (String template : templates) {
            for (int[] seq : sequences) {
                String[] parts = template.split("%s", -1);
                byte[] bytes = new byte[seq.length];
                for (int k = 0; k < seq.length; k++) bytes[k] = (byte) seq[k];
                byte[] input = utf8(parts[0]);
                for (int p = 1; p < parts.length; p++) input = concat(concat(input, bytes), utf8(parts[p]));
                assertAgrees(input);
            }
        }
    }

    /** Not a benchmark (the assertions are elsewhere): a rough figure for the log, a few milliseconds of work. */
    @Test
    void printsARoughTiming() {
        byte[] body = OpenAiWireSamples.fixture("openai/chat-basic/upstream-response.json");
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < 5_000; i++) sink += OpenAiWire.scan(body).usage.inputTokens();
            long t1 = System.nanoTime();
            for (int i = 0; i < 5_000; i++) sink += OpenAiWire.scanWithJackson(body).usage.inputTokens();
            long t2 = System.nanoTime();
            if (round == 1) System.out.printf("%d-byte response: scan %d ns, Jackson %d ns (%d)%n", body.length, (t1 - t0) / 5_000, (t2 - t1) / 5_000, sink);
        }
    }

    private static byte[] replace(byte[] a, int at, byte with) {
        byte[] out = a.clone();
        out[at] = with;
        return out;
    }

    private static byte[] delete(byte[] a, int at) {
        byte[] out = new byte[a.length - 1];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(a, at + 1, out, at, a.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] a, int at, byte with) {
        byte[] out = new byte[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = with;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
