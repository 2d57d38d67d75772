package dev.switchyard.resilience;

/**
 * Who answered, sent as response headers before the first body byte.
 *
 * @param provider      the provider that answered (or was tried last), null when none was tried
 * @param model         its upstream model
 * @param overheadMicros time spent in the gateway itself, upstream waiting excluded
 * @param droppedParams parameters the adapter had to drop, comma-separated, or null
 */
public record Provenance(String requestId, String provider, String model, AttemptLog attempts,
        long overheadMicros, boolean simulated, String droppedParams) {

    public String overheadMillis() {
        long whole = overheadMicros / 1000;
        long frac = overheadMicros % 1000;
        return whole + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
