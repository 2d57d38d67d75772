package dev.switchyard.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte searches for the cheap checks the pass-through path makes on each chunk. The {@code byte[]}
 * forms are the fast ones: a hot loop should copy a buffer out once ({@link Buffer#getBytes()}) and
 * scan the array, because every {@link Buffer#getByte} is a bounds-checked call through Netty.
 */
public final class Bytes {
    private Bytes() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** First index of {@code needle} in {@code hay[from, to)}, or -1. */
    public static int indexOf(byte[] hay, int from, int to, byte[] needle) {
        int last = to - needle.length;
        byte first = needle[0];
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (hay[i] != first) continue;
            for (int k = 1; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    /** Index of the first byte that is not JSON white space in {@code a[from, to)}, or {@code to}. */
    public static int skipSpace(byte[] a, int from, int to) {
        int i = from;
        while (i < to && isSpace(a[i])) i++;
        return i;
    }

    public static boolean startsWith(byte[] a, int at, int to, byte[] prefix) {
        if (at < 0 || at + prefix.length > to) return false;
        for (int k = 0; k < prefix.length; k++) if (a[at + k] != prefix[k]) return false;
        return true;
    }

    /**
     * The bytes as a Latin-1 string: one char per byte, so indexes carry over, and {@link String#indexOf}
     * is a vectorised JIT intrinsic, several times faster than a byte loop for searches that run on
     * every chunk (a needle starting with {@code "} otherwise stops at every quote).
     */
    public static String latin1(byte[] a) {
        return new String(a, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether some {@code "key"} in {@code text} (from {@code from}) is followed, after optional white
     * space and the colon, by a value whose first character is {@code valueStart}: e.g. {@code '{'}
     * finds {@code "usage":{…}} but not {@code "usage":null}. {@code key} includes its quotes.
     */
    public static boolean hasMemberStartingWith(String text, int from, String key, char valueStart) {
        int to = text.length();
        int at = from;
        while ((at = text.indexOf(key, at)) >= 0) {
            at += key.length();
            int colon = skipSpace(text, at, to);
            if (colon < to && text.charAt(colon) == ':') {
                int v = skipSpace(text, colon + 1, to);
                if (v < to && text.charAt(v) == valueStart) return true;
            }
        }
        return false;
    }

    private static int skipSpace(String s, int from, int to) {
        int i = from;
        while (i < to && isSpace((byte) s.charAt(i))) i++;
        return i;
    }

    public static int indexOf(Buffer buf, byte[] needle, int from) {
        int last = buf.length() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (buf.getByte(i) != first) continue;
            for (int k = 1; k < needle.length; k++) if (buf.getByte(i + k) != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    /** Index of the first byte that is not JSON white space, at or after {@code from}. */
    public static int skipSpace(Buffer buf, int from) {
        int i = from;
        while (i < buf.length() && isSpace(buf.getByte(i))) i++;
        return i;
    }

    public static boolean startsWith(Buffer buf, int at, byte[] prefix) {
        if (at + prefix.length > buf.length()) return false;
        for (int k = 0; k < prefix.length; k++) if (buf.getByte(at + k) != prefix[k]) return false;
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
