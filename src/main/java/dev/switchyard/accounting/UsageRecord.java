package dev.switchyard.accounting;

import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.List;

/**
 * One request as the ledger keeps it. Never holds a key's secret: {@code keyName} is the key's name.
 *
 * @param id              the request id ({@code x-switchyard-request-id})
 * @param startEpochMillis when the request arrived
 * @param route           the public model the client asked for
 * @param provider        the answering (or last tried) provider, null when none was tried
 * @param model           its upstream model
 * @param tokens          tokens consumed by all attempts together (what the providers bill)
 * @param costUsd         exact cost of all attempts; null when unknown (a model without a price, or an answer
 *                        whose usage the upstream never reported)
 * @param catalogVersion  the price catalog the cost was computed with
 * @param ttftMicros      time to first token for streams, else -1
 */
public record UsageRecord(
        String id, long startEpochMillis, String keyName, String route, String provider, String model,
        boolean stream, int status, String errorType, boolean truncated, Usage tokens, BigDecimal costUsd,
        String catalogVersion, long latencyMicros, long ttftMicros, long overheadMicros, List<AttemptRecord> attempts) {

    /**
     * One upstream try.
     *
     * @param outcome    HTTP status or failure class ({@code timeout}, {@code dropped}, {@code 429}…)
     * @param ttftMillis time to the first content token for a committed stream, else -1
     * @param tokens     what this attempt consumed as reported, or null
     * @param costUsd    its cost, or null when unknown or when it consumed nothing reported
     * @param detail     why it failed, or null
     */
    public record AttemptRecord(int seq, String provider, String model, String outcome, long latencyMillis,
            long ttftMillis, Usage tokens, BigDecimal costUsd, String detail) {}
}
