package dev.switchyard.provider.compat;

import dev.switchyard.provider.Bytes;
import java.util.Arrays;

/**
 * Strict JSON read straight from the bytes, for scanners that want a few members and skip the rest.
 * Every reader starts at its value's first byte and leaves {@link #pos} just past it; whatever is not
 * plain RFC 8259 JSON — or is unusual enough that a decoding parser might read it differently (escaped
 * names, unusual UTF-8, huge tokens, deep nesting) — makes it throw {@link #GIVE_UP}, so that the caller
 * can hand the input to a full parser instead.
 */
abstract class StrictJsonCursor {
    /** Far below Jackson's own limits (nesting 1,000, names 50,000, numbers 1,000 digits), so nothing the
     *  cursor accepts trips one of them. */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NAME = 1024;
    private static final int MAX_NUMBER = 64;

    private static final byte[] TRUE = Bytes.ascii("true");
    private static final byte[] FALSE = Bytes.ascii("false");
    private static final byte[] NULL = Bytes.ascii("null");

    /** Giving up unwinds the recursion in one step; it is rare and preallocated, so it carries no trace. */
    static final class GiveUp extends RuntimeException {
        private GiveUp() {
            super(null, null, false, false);
        }
    }

    static final GiveUp GIVE_UP = new GiveUp();

    final byte[] b;
    int pos;
    private int depth;
    /** the last string read: its bytes between the quotes, and whether it had escapes */
    int strStart, strEnd;
    boolean strEscaped;

    StrictJsonCursor(byte[] b) {
        this.b = b;
    }

    /** Past '{' and the space after it; false (and past '}') when the object is empty. */
    final boolean openObject() {
        return open((byte) '}');
    }

    final boolean openArray() {
        return open((byte) ']');
    }

    private boolean open(byte close) {
        if (++depth > MAX_DEPTH) throw GIVE_UP;
        pos = Bytes.skipSpace(b, pos + 1, b.length);
        if (at(pos) != close) return true;
        pos++;
        depth--;
        return false;
    }

    /** After a member's value: true past a ',' (and the space after it), false past the closing '}'. */
    final boolean nextMember() {
        return next((byte) '}');
    }

    final boolean nextElement() {
        return next((byte) ']');
    }

    private boolean next(byte close) {
        pos = Bytes.skipSpace(b, pos, b.length);
        byte c = at(pos++);
        if (c == ',') {
            pos = Bytes.skipSpace(b, pos, b.length);
            return true;
        }
        if (c != close) throw GIVE_UP;
        depth--;
        return false;
    }

    /**
     * A member name and its colon, leaving pos at the value, where the names matter: an escaped one might
     * spell a wanted name, and decoding it is not worth it for something this rare.
     */
    final void name() {
        memberName();
        if (strEscaped) throw GIVE_UP;
    }

    private void memberName() {
        if (at(pos) != '"') throw GIVE_UP;
        string();
        if (strEnd - strStart > MAX_NAME) throw GIVE_UP;
        pos = Bytes.skipSpace(b, pos, b.length);
        if (at(pos) != ':') throw GIVE_UP;
        pos = Bytes.skipSpace(b, pos + 1, b.length);
    }

    final boolean nameIs(byte[] name) {
        return strEnd - strStart == name.length && Arrays.equals(b, strStart, strEnd, name, 0, name.length);
    }

    final void skipValue() {
        switch (at(pos)) {
            case '"' -> string();
            case '{' -> {
                if (openObject()) {
                    do {
                        memberName();
                        skipValue();
                    } while (nextMember());
                }
            }
            case '[' -> {
                if (openArray()) {
                    do skipValue();
                    while (nextElement());
                }
            }
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
            default -> throw GIVE_UP;
        }
    }

    /** What follows a literal or number is checked by the caller, which wants space, ',' or a closer. */
    private void literal(byte[] word) {
        int to = pos + word.length;
        if (to > b.length || !Arrays.equals(b, pos, to, word, 0, word.length)) throw GIVE_UP;
        pos = to;
    }

    private void number() {
        int start = pos;
        int i = pos;
        if (b[i] == '-') i++;
        int intStart = i;
        i = digits(i);
        // a lone '-', or a leading zero before more digits: the caller's check would not catch "-"
        if (i == intStart || (b[intStart] == '0' && i - intStart > 1)) throw GIVE_UP;
        if (i < b.length && b[i] == '.') i = someDigits(i + 1);
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) i++;
            i = someDigits(i);
        }
        if (i - start > MAX_NUMBER) throw GIVE_UP;
        pos = i;
    }

    private int someDigits(int from) {
        int i = digits(from);
        if (i == from) throw GIVE_UP;
        return i;
    }

    private int digits(int i) {
        while (i < b.length && b[i] >= '0' && b[i] <= '9') i++;
        return i;
    }

    /** A plain integer of up to 18 digits, which any parser reads as the same long; every other value gives up. */
    final long integer() {
        int i = pos;
        boolean negative = at(i) == '-';
        if (negative) i++;
        int from = i;
        long value = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') value = value * 10 + (b[i++] - '0');
        int n = i - from;
        if (n == 0 || n > 18 || (n > 1 && b[from] == '0')) throw GIVE_UP;
        if (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) throw GIVE_UP;
        pos = i;
        return negative ? -value : value;
    }

    /** A string, validated as Jackson would (escapes, no raw control characters) and as strict UTF-8. */
    final void string() {
        int i = pos + 1;
        boolean escaped = false;
        for (;;) {
            byte c = at(i);
            if (c >= ' ' && c != '"' && c != '\\') {
                i++; // signed bytes: all of non-ASCII is negative and lands below
            } else if (c == '"') {
                break;
            } else if (c == '\\') {
                escaped = true;
                i = escape(i + 1);
            } else if (c < 0) {
                i = utf8(i);
            } else {
                throw GIVE_UP; // a raw control character
            }
        }
        strStart = pos + 1;
        strEnd = i;
        strEscaped = escaped;
        pos = i + 1;
    }

    private int escape(int i) {
        switch (at(i)) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                for (int k = 1; k <= 4; k++) {
                    byte h = at(i + k);
                    if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) throw GIVE_UP;
                }
                return i + 5;
            }
            default -> throw GIVE_UP;
        }
    }

    /**
     * One multi-byte character, accepted only as well-formed UTF-8 (no overlong forms, surrogates or code
     * points past U+10FFFF). Jackson checks less, so what passes here is safe; the rest goes to Jackson.
     */
    private int utf8(int i) {
        int lead = b[i] & 0xFF, n, lo = 0x80, hi = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 2;
            if (lead == 0xE0) lo = 0xA0;
            else if (lead == 0xED) hi = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 3;
            if (lead == 0xF0) lo = 0x90;
            else if (lead == 0xF4) hi = 0x8F;
        } else {
            throw GIVE_UP;
        }
        if (i + n >= b.length) throw GIVE_UP;
        int second = b[i + 1] & 0xFF;
        if (second < lo || second > hi) throw GIVE_UP;
        for (int k = 2; k <= n; k++) if ((b[i + k] & 0xC0) != 0x80) throw GIVE_UP;
        return i + n + 1;
    }

    final byte at(int i) {
        if (i >= b.length) throw GIVE_UP; // truncated: what a parser finds before failing is for it to say
        return b[i];
    }
}
