package dev.switchyard.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Byte searches on buffers, for the cheap checks the pass-through path makes on each chunk. */
public final class Bytes {
    private Bytes() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
        while (i < buf.length()) {
            byte b = buf.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') break;
            i++;
        }
        return i;
    }

    public static boolean startsWith(Buffer buf, int at, byte[] prefix) {
        if (at + prefix.length > buf.length()) return false;
        for (int k = 0; k < prefix.length; k++) if (buf.getByte(at + k) != prefix[k]) return false;
        return true;
    }
}
