package dev.switchyard.web;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids the gateway mints: {@code req_} + 12 hex digits of the epoch millisecond + 16 random hex digits.
 *
 * <p>Why time first: the ledger indexes requests by id, and random ids land all over that index, so every insert
 * dirties a different page and each batch rewrites hundreds of them (measured: the ledger writer's CPU per request
 * tripled once the index outgrew SQLite's page cache). Ids that grow with time append at the index's right edge.
 * 64 random bits keep ids unique across instances minting in the same millisecond.
 */
public final class RequestIds {
    private static final byte[] HEX = "0123456789abcdef".getBytes();

    private RequestIds() {}

    public static String mint(long epochMillis) {
        byte[] b = new byte[32];
        b[0] = 'r';
        b[1] = 'e';
        b[2] = 'q';
        b[3] = '_';
        hex(b, 4, epochMillis, 12);
        hex(b, 16, ThreadLocalRandom.current().nextLong(), 16);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void hex(byte[] b, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
