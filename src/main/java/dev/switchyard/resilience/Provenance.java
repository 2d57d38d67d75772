package dev.switchyard.resilience;

/**
 * Who answered, sent as response headers before the first body byte.
 *
 * @param provider      the provider that answered (or was tried last), null when none was tried
 * @param model         its upstream model
 * @param overheadMicros time spent in the gateway itself, upstream waiting excluded
 * @param droppedParams parameters the adapter had to drop, comma-separated, or null
 * @param costUsd       the answer's cost in USD when known before the body (non-streaming answers), else null
 */
public record Provenance(String requestId, String provider, String model, AttemptLog attempts,
        long overheadMicros, boolean simulated, String droppedParams, String costUsd) {

    public Provenance(String requestId, String provider, String model, AttemptLog attempts,
            long overheadMicros, boolean simulated, String droppedParams) {
        this(requestId, provider, model, attempts, overheadMicros, simulated, droppedParams, null);
    }

    public String overheadMillis() {
        long whole = overheadMicros / 1000;
        long frac = overheadMicros % 1000;
        return whole + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    public Provenance withCost(String usd) {
        return new Provenance(requestId, provider, model, attempts, overheadMicros, simulated, droppedParams, usd);
    }
}
