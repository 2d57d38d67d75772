package dev.switchyard.store;

import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.List;

/** Usage records for ledger tests, built by hand so every expected sum is known. */
final class Records {
    private Records() {}

    /** One successful single-attempt request. */
    static UsageRecord ok(String id, long ts, String key, String route, String provider, String model, Usage u, String cost,
            long latencyMicros) {
        BigDecimal c = cost == null ? null : new BigDecimal(cost);
        return new UsageRecord(id, ts, key, route, provider, model, false, 200, null, false, u, c, "2026-07-24",
                latencyMicros, -1, 150, List.of(new UsageRecord.AttemptRecord(1, provider, model, "200", latencyMicros / 1000, -1,
                        u, c, null)));
    }

    /** A request that failed over: the first provider consumed tokens (a broken stream), the second answered. */
    static UsageRecord failedOver(String id, long ts, String key, String route, String p1, String m1, Usage u1, String c1,
            String p2, String m2, Usage u2, String c2, long latencyMicros) {
        BigDecimal a = new BigDecimal(c1);
        BigDecimal b = new BigDecimal(c2);
        Usage total = new Usage(u1.inputTokens() + u2.inputTokens(), u1.cachedTokens() + u2.cachedTokens(),
                u1.cacheWriteTokens() + u2.cacheWriteTokens(), u1.outputTokens() + u2.outputTokens(),
                u1.reasoningTokens() + u2.reasoningTokens());
        return new UsageRecord(id, ts, key, route, p2, m2, true, 200, null, false, total, a.add(b), "2026-07-24", latencyMicros,
                40_000, 200, List.of(
                        new UsageRecord.AttemptRecord(1, p1, m1, "dropped", 30, 12, u1, a, "upstream connection lost mid-stream"),
                        new UsageRecord.AttemptRecord(2, p2, m2, "200", 50, 20, u2, b, null)));
    }

    static UsageRecord failed(String id, long ts, String key, String route, String provider, String model, int status,
            long latencyMicros) {
        return new UsageRecord(id, ts, key, route, provider, model, false, status, "api_error", false, Usage.NONE,
                BigDecimal.ZERO, "2026-07-24", latencyMicros, -1, 100,
                List.of(new UsageRecord.AttemptRecord(1, provider, model, Integer.toString(status), latencyMicros / 1000, -1, null,
                        null, "simulated failure")));
    }
}
