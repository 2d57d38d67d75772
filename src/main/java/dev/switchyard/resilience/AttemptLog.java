package dev.switchyard.resilience;

import java.util.ArrayList;
import java.util.List;

/** Every attempt of one request, in order: what {@code x-switchyard-attempts} and the usage record show. */
public final class AttemptLog {
    /**
     * @param target  {@code provider/model}
     * @param outcome HTTP status or a failure label ({@code timeout}, {@code connect_error}, {@code dropped}…)
     * @param millis  how long the attempt took (for a committed stream: until its first token)
     * @param detail  why it failed, or null
     * @param startOffsetNanos when the attempt started, counted from the request's arrival (for trace spans)
     * @param nanos   {@code millis} at full precision
     */
    public record Attempt(String target, String outcome, long millis, String detail, long startOffsetNanos, long nanos) {
        /** An attempt without timing detail: starts with the request, lasts {@code millis}. */
        public Attempt(String target, String outcome, long millis, String detail) {
            this(target, outcome, millis, detail, 0, millis * 1_000_000);
        }
    }

    private final List<Attempt> attempts = new ArrayList<>(2);

    public void add(String target, String outcome, long millis, String detail) {
        attempts.add(new Attempt(target, outcome, millis, detail));
    }

    /** @param startOffsetNanos when the attempt started, from the request's arrival; {@code nanos} how long it took */
    public void add(String target, String outcome, long startOffsetNanos, long nanos, String detail) {
        attempts.add(new Attempt(target, outcome, nanos / 1_000_000, detail, startOffsetNanos, nanos));
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    public boolean isEmpty() {
        return attempts.isEmpty();
    }

    /** {@code provider/model:status:ms}, comma-separated. */
    public String header() {
        StringBuilder b = new StringBuilder(attempts.size() * 32);
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (i > 0) b.append(", ");
            b.append(a.target).append(':').append(a.outcome).append(':').append(a.millis).append("ms");
        }
        return b.toString();
    }

    /** Names each failed attempt's cause, for the error a client gets when every target failed. */
    public String failureSummary() {
        StringBuilder b = new StringBuilder();
        for (Attempt a : attempts) {
            if (b.length() > 0) b.append("; ");
            b.append(a.target).append(" → ").append(a.detail != null ? a.detail : a.outcome);
        }
        return b.toString();
    }
}
