package dev.switchyard.provider.compat;

import static dev.switchyard.provider.compat.OpenAiWireSamples.assertAgrees;
import static dev.switchyard.provider.compat.OpenAiWireSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte scanner's edge cases: what it answers itself, and what it must leave to Jackson. */
class OpenAiWireFastScanTest {
    /** The scanner's own answer, which must exist and agree with Jackson. */
    private static OpenAiWire.Facts fast(String json) {
        byte[] bytes = utf8(json);
        assertAgrees(bytes);
        OpenAiWire.Facts f = OpenAiFactsScanner.scan(bytes);
        assertThat(f).as("fast path for %s", json).isNotNull();
        return f;
    }

    @Test
    void readsAnOrdinaryResponse() {
        byte[] body = OpenAiWireSamples.fixture("openai/chat-basic/upstream-response.json");
        OpenAiWire.Facts f = OpenAiFactsScanner.scan(body);
        assertThat(f).isNotNull();
        assertThat(f.wellFormed).isTrue();
        assertThat(f.usage).isEqualTo(new Usage(9, 4, 0, 2, 0));
        assertThat(f.finishReason).isSameAs("stop"); // the everyday reasons are not decoded afresh
        assertThat(f.content).isTrue();
        assertThat(f.emptyChoices).isFalse();
        assertThat(f.error).isFalse();
        assertAgrees(body);
    }

    @Test
    void deepSeekCacheHitsCountWhenCachedTokensAreZero() {
        assertThat(fast("{\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":17},\"prompt_cache_hit_tokens\":8}}").usage).isEqualTo(new Usage(12, 8, 0, 20, 17));
        assertThat(fast("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":3},\"prompt_cache_hit_tokens\":8}}").usage.cachedTokens()).isEqualTo(3);
        assertThat(fast("{\"usage\":{\"prompt_cache_hit_tokens\":-1,\"prompt_tokens\":-0}}").usage).isEqualTo(new Usage(0, 0, 0, 0, 0));
        // a later details object without the field resets it, as Jackson's reading does; null leaves it
        assertThat(fast("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":3},\"prompt_tokens_details\":{}}}").usage.cachedTokens()).isZero();
        assertThat(fast("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":3},\"prompt_tokens_details\":null}}").usage.cachedTokens()).isEqualTo(3);
        assertThat(fast("{\"usage\":{\"prompt_tokens\":1,\"prompt_tokens\":2}}").usage.inputTokens()).isEqualTo(2);
    }

    @Test
    void finishReasonIsTheFirstStringAcrossChoices() {
        assertThat(fast("{\"choices\":[{\"finish_reason\":null},{\"finish_reason\":3},{\"finish_reason\":\"length\"},{\"finish_reason\":\"stop\"}]}")
                .finishReason).isEqualTo("length");
        assertThat(fast("{\"choices\":[{\"finish_reason\":\"\"},{\"finish_reason\":\"stop\"}]}").finishReason).isEmpty();
        assertThat(fast("{\"choices\":[{\"finish_reason\":\"arr\u00eat\"}]}").finishReason).isEqualTo("arr\u00eat");
        // once one is found, a later escaped one is only skipped
        assertThat(fast("{\"choices\":[{\"finish_reason\":\"stop\"},{\"finish_reason\":\"st\\u006fp\"}]}").finishReason).isEqualTo("stop");
    }

    @Test
    void contentIsAnyNonEmptyTextOrAnyToolCall() {
        assertThat(fast("{\"choices\":[{\"delta\":{\"content\":\"\"}}]}").content).isFalse();
        assertThat(fast("{\"choices\":[{\"delta\":{\"content\":null,\"refusal\":null,\"tool_calls\":null}}]}").content).isFalse();
        assertThat(fast("{\"choices\":[{\"delta\":{\"content\":\"\\n\"}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"delta\":{\"content\":\"\\u0000\"}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"delta\":{\"reasoning_content\":\"x\"}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"message\":{\"reasoning\":\"x\"}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"message\":{\"refusal\":\"no\"}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"delta\":{\"function_call\":{}}}]}").content).isTrue();
        assertThat(fast("{\"choices\":[{\"delta\":{\"tool_calls\":\"x\"}}]}").content).isFalse();
        // only inside message or delta
        assertThat(fast("{\"content\":\"x\",\"choices\":[{\"content\":\"x\",\"logprobs\":{\"content\":\"x\"}}]}").content).isFalse();
    }

    @Test
    void choicesUsageAndErrorShapes() {
        assertThat(fast("{\"choices\":[]}").emptyChoices).isTrue();
        assertThat(fast("{\"choices\":[ ]}").emptyChoices).isTrue();
        assertThat(fast("{\"choices\":[{}]}").emptyChoices).isFalse();
        assertThat(fast("{\"choices\":null}").emptyChoices).isFalse();
        assertThat(fast("{\"usage\":null}").usage).isNull();
        assertThat(fast("{\"usage\":{}}").usage).isEqualTo(Usage.NONE);
        assertThat(fast("{\"error\":{\"message\":\"x\"}}").error).isTrue();
        assertThat(fast("{\"error\":\"overloaded\"}").error).isTrue();
        assertThat(fast("{\"error\":null}").error).isFalse();
        assertThat(fast("{\"error\":500}").error).isFalse();
        assertThat(fast("{\"error\":[]}").error).isFalse();
        // the same names deeper down are nobody's business
        assertThat(fast("{\"meta\":{\"usage\":{\"prompt_tokens\":5},\"error\":\"x\",\"choices\":[]}}").usage).isNull();
    }

    @Test
    void wellFormedEndsAtTheRootsClosingBrace() {
        assertThat(fast("{}").wellFormed).isTrue();
        assertThat(fast(" \r\n\t{ } ").wellFormed).isTrue();
        assertThat(fast("{\"a\":1}garbage{").wellFormed).isTrue();
        assertThat(fast("{\"a\":1}}").wellFormed).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t", "[]", "[{\"a\":1}]", "null", "true", "1", "\"x\"", "<html>", "}", "x{}", "/*c*/{}"})
    void blankAndNonObjectInputsAreAnsweredWithoutJackson(String input) {
        OpenAiWire.Facts f = fast(input);
        assertThat(f.wellFormed).isFalse();
        assertThat(f.usage).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE80\\ud800\"}", // every escape, a lone surrogate too
            "{\"m\":{\"k\\u0065y\":1,\"us\\u0061ge\":2}}", // escaped names where no name matters
            "{\"a\":[-0,0,1.5,-2e10,3E+2,4e-2,0.0,123456789012345678901234567890],\"b\":[true,false,null,[],{}]}",
            "{\"a\":\"\u00e9\u65e5\uD83D\uDE80\uFFFF\u007f\"}",
            "{ \"choices\" : [ { \"delta\" : { \"content\" : \"x\" } , \"finish_reason\" : \"stop\" } ] , \"usage\" : { \"prompt_tokens\" : 1 } }",
            "{\"\":1,\"choices\":[{\"\":2,\"message\":{\"\":3}}]}",
    })
    void validJsonOffTheBeatenTrackStaysFast(String input) {
        assertThat(fast(input).wellFormed).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // names or values whose meaning needs decoding
            "{\"us\\u0061ge\":{\"prompt_tokens\":1}}",
            "{\"choices\":[{\"finish_re\\u0061son\":\"stop\"}]}",
            "{\"choices\":[{\"finish_reason\":\"st\\u006fp\"}]}",
            // usage numbers Jackson's getValueAsLong would coerce
            "{\"usage\":{\"prompt_tokens\":1.9}}", "{\"usage\":{\"prompt_tokens\":1e3}}", "{\"usage\":{\"prompt_tokens\":\"12\"}}",
            "{\"usage\":{\"prompt_tokens\":null}}", "{\"usage\":{\"prompt_tokens\":true}}", "{\"usage\":{\"prompt_tokens\":{\"a\":1}}}",
            "{\"usage\":{\"prompt_tokens\":1234567890123456789}}", "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":\"1\"}}}",
            // shapes Jackson's reading does not skip cleanly
            "{\"usage\":[]}", "{\"usage\":\"n/a\"}", "{\"choices\":{}}", "{\"choices\":[1]}", "{\"choices\":[{},null]}",
            "{\"choices\":[{\"message\":\"x\"}]}", "{\"choices\":[{\"delta\":[]}]}", "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\"}]}}]}",
            "{\"choices\":[{\"delta\":{\"refusal\":{}}}]}", "{\"usage\":{\"prompt_tokens_details\":[1]}}", "{\"usage\":{\"completion_tokens_details\":5}}",
            // repeated members that matter, and groq's usage
            "{\"usage\":{},\"usage\":null}", "{\"choices\":[],\"choices\":[{}]}", "{\"error\":\"x\",\"error\":null}",
            "{\"x_groq\":{\"usage\":{\"prompt_tokens\":1}}}",
            // anything Jackson would reject or stop at
            "{", "{\"a\"", "{\"a\":1", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":-}", "{\"a\":.5}", "{\"a\":1.}",
            "{\"a\":1e}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":[1,]}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
            "{\"a\":\"\u0001\"}", "{\"a\":\"\t\"}", "{\"a\"\u000b:1}", "{/*c*/}",
    })
    void unusualInputsAreLeftToJackson(String input) {
        byte[] bytes = utf8(input);
        assertThat(OpenAiFactsScanner.scan(bytes)).isNull();
        assertAgrees(bytes);
    }

    @Test
    void malformedAndUnusualUtf8IsLeftToJackson() {
        int[][] sequences = {{0x80}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xF0, 0x8F, 0xBF, 0xBF},
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}, {0xC3}, {0xE2, 0x82}, {0xC3, 0x28}};
        for (int[] seq : sequences) {
            byte[] input = OpenAiWireDifferentialTest.concat(utf8("{\"a\":\""), bytes(seq));
            input = OpenAiWireDifferentialTest.concat(input, utf8("\"}"));
            assertThat(OpenAiFactsScanner.scan(input)).isNull();
            assertAgrees(input);
        }
        for (byte[] lead : new byte[][] {bytes(0xEF, 0xBB, 0xBF), bytes(0xFE, 0xFF), bytes(0xFF, 0xFE), bytes(0), bytes(' ', 0)}) {
            byte[] input = OpenAiWireDifferentialTest.concat(lead, utf8("{}"));
            assertThat(OpenAiFactsScanner.scan(input)).isNull();
            assertAgrees(input);
        }
    }

    @Test
    void deepNestingAndHugeTokensAreLeftToJackson() {
        assertThat(fast(nested(60)).wellFormed).isTrue();
        assertThat(OpenAiFactsScanner.scan(utf8(nested(70)))).isNull();
        assertAgrees(utf8(nested(70)));
        assertAgrees(utf8(nested(2000)));
        String longName = "n".repeat(2000);
        assertThat(OpenAiFactsScanner.scan(utf8("{\"" + longName + "\":1}"))).isNull();
        assertThat(OpenAiFactsScanner.scan(utf8("{\"a\":" + "9".repeat(100) + "}"))).isNull();
        assertAgrees(utf8("{\"a\":" + "9".repeat(2000) + "}"));
        assertThat(fast("{\"a\":\"" + "x".repeat(100_000) + "\"}").wellFormed).isTrue();
    }

    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }
}
