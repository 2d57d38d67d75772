package dev.switchyard.accounting.latency;

import java.time.Duration;

/** The sliding windows percentiles are kept over. */
public enum Window {
    ONE_MINUTE("1m", Duration.ofMinutes(1)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    ONE_HOUR("1h", Duration.ofHours(1));

    private final String label;
    private final Duration length;

    Window(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** @return the window named {@code 1m}, {@code 5m} or {@code 1h}, or null */
    public static Window parse(String label) {
        for (Window w : values()) if (w.label.equals(label)) return w;
        return null;
    }
}
