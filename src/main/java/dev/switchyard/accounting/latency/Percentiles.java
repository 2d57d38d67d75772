package dev.switchyard.accounting.latency;

/**
 * Percentiles of one metric over one window, in milliseconds; all zero when {@code count} is 0. Values carry
 * HdrHistogram's precision of two significant digits (within 1%).
 */
public record Percentiles(long count, double p50, double p90, double p95, double p99, double max) {
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);
}
