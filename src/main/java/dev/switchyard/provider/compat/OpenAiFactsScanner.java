package dev.switchyard.provider.compat;

import dev.switchyard.model.Usage;
import dev.switchyard.provider.Bytes;
import dev.switchyard.provider.compat.OpenAiWire.Facts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link OpenAiWire#scan(byte[])}. Jackson's per-token machinery (parser set-up, symbol
 * table look-ups for every name, text buffers) cost about 2 µs a response on the event loop; this walks
 * the bytes once, compares names as bytes and validates what it skips without decoding it.
 *
 * <p>It answers only when it is sure to agree with {@link OpenAiWire#scanWithJackson}, which stays the
 * reference: {@link #scan} returns null — and the caller asks Jackson — for anything malformed, truncated
 * or outside the everyday shape (escaped names, a finish reason with escapes, usage numbers that are not
 * plain integers, unexpected value types where Jackson's reading would be odd, duplicate top-level
 * members, {@code x_groq}, and whatever {@link StrictJsonCursor} gives up on). Strict JSON is a subset of
 * what Jackson's defaults accept, so whatever it reads to the root's closing brace Jackson reads too.
 */
final class OpenAiFactsScanner extends StrictJsonCursor {
    /** Jackson limits a string it decodes to 20M characters; a body this size cannot hold one that long. */
    private static final int MAX_INPUT = 4 << 20;

    private static final byte[] CHOICES = Bytes.ascii("choices");
    private static final byte[] USAGE = Bytes.ascii("usage");
    private static final byte[] ERROR = Bytes.ascii("error");
    private static final byte[] X_GROQ = Bytes.ascii("x_groq");
    private static final byte[] DELTA = Bytes.ascii("delta");
    private static final byte[] MESSAGE = Bytes.ascii("message");
    private static final byte[] FINISH_REASON = Bytes.ascii("finish_reason");
    private static final byte[] CONTENT = Bytes.ascii("content");
    private static final byte[] REASONING_CONTENT = Bytes.ascii("reasoning_content");
    private static final byte[] REASONING = Bytes.ascii("reasoning");
    private static final byte[] REFUSAL = Bytes.ascii("refusal");
    private static final byte[] TOOL_CALLS = Bytes.ascii("tool_calls");
    private static final byte[] FUNCTION_CALL = Bytes.ascii("function_call");
    private static final byte[] PROMPT_TOKENS = Bytes.ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = Bytes.ascii("completion_tokens");
    private static final byte[] PROMPT_CACHE_HIT_TOKENS = Bytes.ascii("prompt_cache_hit_tokens");
    private static final byte[] PROMPT_TOKENS_DETAILS = Bytes.ascii("prompt_tokens_details");
    private static final byte[] COMPLETION_TOKENS_DETAILS = Bytes.ascii("completion_tokens_details");
    private static final byte[] CACHED_TOKENS = Bytes.ascii("cached_tokens");
    private static final byte[] REASONING_TOKENS = Bytes.ascii("reasoning_tokens");

    /** The reasons nearly every answer ends with, handed out without decoding a new string each time. */
    private static final String[] REASONS = {"stop", "length", "tool_calls", "content_filter", "function_call"};
    private static final byte[][] REASON_BYTES = Arrays.stream(REASONS).map(Bytes::ascii).toArray(byte[][]::new);

    private static final int SEEN_CHOICES = 1, SEEN_USAGE = 2, SEEN_ERROR = 4;

    private final Facts f = new Facts();

    private OpenAiFactsScanner(byte[] b) {
        super(b);
    }

    /** The facts Jackson would find, or null when the input needs Jackson to say. */
    static Facts scan(byte[] json) {
        if (json.length > MAX_INPUT) return null;
        try {
            return new OpenAiFactsScanner(json).root();
        } catch (GiveUp e) {
            return null;
        }
    }

    private Facts root() {
        int i = Bytes.skipSpace(b, 0, b.length);
        if (i == b.length) return f; // Jackson sees no token at all
        byte c = b[i];
        if (c != '{') {
            // a first character that is ASCII rules out a BOM and the UTF-16/32 guesses of Jackson's
            // bootstrapper (they need a zero byte first, or one right after it, which this is not)
            if (c > 0) return f;
            throw GIVE_UP;
        }
        pos = i;
        int seen = 0;
        if (openObject()) {
            do {
                name();
                int member = nameIs(CHOICES) ? SEEN_CHOICES : nameIs(USAGE) ? SEEN_USAGE : nameIs(ERROR) ? SEEN_ERROR : 0;
                // a repeated member would make Jackson's answer depend on which copy wins
                if ((seen & member) != 0) throw GIVE_UP;
                seen |= member;
                if (member == SEEN_CHOICES) choices();
                else if (member == SEEN_USAGE) usageMember();
                else if (member == SEEN_ERROR) error();
                else if (nameIs(X_GROQ)) throw GIVE_UP; // rare enough to leave to Jackson
                else skipValue();
            } while (nextMember());
        }
        f.wellFormed = true; // the root's closing brace: like Jackson, nothing after it is read
        return f;
    }

    private void error() {
        byte c = at(pos);
        f.error = c == '{' || c == '"';
        skipValue();
    }

    private void choices() {
        byte c = at(pos);
        if (c == 'n') {
            skipValue();
            return;
        }
        // Jackson stops at the first element that is not an object and reads on from inside the array
        if (c != '[') throw GIVE_UP;
        if (!openArray()) {
            f.emptyChoices = true;
            return;
        }
        do {
            if (at(pos) != '{') throw GIVE_UP;
            choice();
        } while (nextElement());
    }

    private void choice() {
        if (!openObject()) return;
        do {
            name();
            if (nameIs(DELTA) || nameIs(MESSAGE)) {
                byte c = at(pos);
                if (c == '{') delta();
                else if (c == 'n') skipValue();
                else throw GIVE_UP;
            } else if (nameIs(FINISH_REASON) && f.finishReason == null && at(pos) == '"') {
                string();
                if (strEscaped) throw GIVE_UP;
                f.finishReason = reason(strStart, strEnd);
            } else {
                skipValue();
            }
        } while (nextMember());
    }

    private void delta() {
        if (!openObject()) return;
        do {
            name();
            byte c = at(pos);
            if (nameIs(CONTENT) || nameIs(REASONING_CONTENT) || nameIs(REASONING) || nameIs(REFUSAL)) {
                // Jackson does not skip a container here but reads on inside it
                if (c == '[' || c == '{') throw GIVE_UP;
                skipValue();
                // escapes do not matter: any byte between the quotes makes at least one character
                if (c == '"' && strEnd > strStart) f.content = true;
            } else if (nameIs(TOOL_CALLS) || nameIs(FUNCTION_CALL)) {
                if (c == '[' || c == '{') f.content = true;
                skipValue();
            } else {
                skipValue();
            }
        } while (nextMember());
    }

    private void usageMember() {
        byte c = at(pos);
        if (c == 'n') skipValue();
        else if (c == '{') f.usage = usage();
        else throw GIVE_UP; // Jackson would not skip an array here
    }

    private Usage usage() {
        long prompt = 0, completion = 0, cached = 0, reasoning = 0, cacheHit = -1;
        if (openObject()) {
            do {
                name();
                if (nameIs(PROMPT_TOKENS)) prompt = integer();
                else if (nameIs(COMPLETION_TOKENS)) completion = integer();
                else if (nameIs(PROMPT_CACHE_HIT_TOKENS)) cacheHit = integer();
                else if (nameIs(PROMPT_TOKENS_DETAILS)) cached = details(CACHED_TOKENS, cached);
                else if (nameIs(COMPLETION_TOKENS_DETAILS)) reasoning = details(REASONING_TOKENS, reasoning);
                else skipValue();
            } while (nextMember());
        }
        if (cached == 0 && cacheHit > 0) cached = cacheHit;
        return new Usage(prompt, cached, 0, completion, reasoning);
    }

    /** A details object's one field, 0 when it is absent; null leaves {@code current} as it was. */
    private long details(byte[] field, long current) {
        byte c = at(pos);
        if (c == 'n') {
            skipValue();
            return current;
        }
        if (c != '{') throw GIVE_UP;
        long value = 0;
        if (openObject()) {
            do {
                name();
                if (nameIs(field)) value = integer();
                else skipValue();
            } while (nextMember());
        }
        return value;
    }

    private String reason(int from, int to) {
        for (int k = 0; k < REASON_BYTES.length; k++) {
            byte[] r = REASON_BYTES[k];
            if (to - from == r.length && Arrays.equals(b, from, to, r, 0, r.length)) return REASONS[k];
        }
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
