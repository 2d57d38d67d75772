package dev.switchyard.model;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids the gateway mints: {@code req_} + 12 hex digits of the epoch millisecond + 16 random hex digits.
 *
 * <p>Why time first: the ledger finds a request by id. With the arrival millisecond inside the id, it finds a
 * minted id through its time-ordered primary key {@code (ts, id)} and needs no index on ids for it; only ids clients
 * chose ({@code x-request-id}) go into one. (An index over random ids was the ledger's largest cost: every insert
 * dirtied a different page, and the writer's CPU per request tripled once the index outgrew SQLite's page cache.)
 * 64 random bits keep ids unique across instances minting in the same millisecond.
 */
public final class RequestIds {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestIds() {}

    public static String mint(long epochMillis) {
        return of(epochMillis, ThreadLocalRandom.current().nextLong());
    }

    /** The minted id with this millisecond and these random bits (the inverse of {@link #mintedMillis}, {@link #mintedRandom}). */
    public static String of(long epochMillis, long random) {
        byte[] b = new byte[32];
        b[0] = 'r';
        b[1] = 'e';
        b[2] = 'q';
        b[3] = '_';
        hex(b, 4, epochMillis, 12);
        hex(b, 16, random, 16);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * The millisecond a minted id carries, or -1 when {@code id} does not have a minted id's shape. A client can send
     * an id of that shape too, so a hit is a hint to look at, not proof.
     */
    public static long mintedMillis(String id) {
        if (id == null || id.length() != 32 || !id.startsWith("req_")) return -1;
        long v = 0;
        for (int i = 4; i < 32; i++) {
            char ch = id.charAt(i);
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0) return -1;
            if (i < 16) v = v << 4 | d;
        }
        return v;
    }

    /** The 64 random bits of an id of the minted shape ({@link #mintedMillis} &ge; 0), as the ledger keys its row. */
    public static long mintedRandom(String id) {
        long v = 0;
        for (int i = 16; i < 32; i++) {
            char ch = id.charAt(i);
            v = v << 4 | (ch <= '9' ? ch - '0' : ch - 'a' + 10);
        }
        return v;
    }

    private static void hex(byte[] b, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
