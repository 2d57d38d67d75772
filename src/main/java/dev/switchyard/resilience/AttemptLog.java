package dev.switchyard.resilience;

import dev.switchyard.model.Usage;
import java.util.ArrayList;
import java.util.List;

/** Every attempt of one request, in order: what {@code x-switchyard-attempts} and the usage record show. */
public final class AttemptLog {
    /**
     * @param target     {@code provider/model}
     * @param outcome    HTTP status or a failure label ({@code timeout}, {@code connect_error}, {@code dropped}…)
     * @param millis     how long the attempt took (a committed stream: until it ended; the header, sent at
     *                   commit, shows the time to its first token)
     * @param detail     why it failed, or null
     * @param usage      tokens this attempt consumed, as far as the upstream reported them, or null. A physical
     *                   attempt carries its usage on one entry only (a committed stream that broke keeps it on
     *                   its {@code 200} entry), so summing the entries never counts tokens twice
     * @param ttftMillis time from the attempt's start to its first content token for a committed stream, else -1
     * @param startOffsetNanos when the attempt started, counted from the request's arrival (for trace spans)
     * @param nanos      how long the attempt took, at full precision
     */
    public record Attempt(String target, String outcome, long millis, String detail, Usage usage, long ttftMillis,
            long startOffsetNanos, long nanos) {
        /** An attempt without usage or timing detail: starts with the request, lasts {@code millis}. */
        public Attempt(String target, String outcome, long millis, String detail) {
            this(target, outcome, millis, detail, null, -1);
        }

        public Attempt(String target, String outcome, long millis, String detail, Usage usage, long ttftMillis) {
            this(target, outcome, millis, detail, usage, ttftMillis, 0, millis * 1_000_000);
        }

        Attempt finished(long totalNanos, Usage consumed) {
            return new Attempt(target, outcome, totalNanos / 1_000_000, detail, consumed, ttftMillis, startOffsetNanos, totalNanos);
        }
    }

    private final List<Attempt> attempts = new ArrayList<>(2);

    public void add(String target, String outcome, long millis, String detail) {
        attempts.add(new Attempt(target, outcome, millis, detail));
    }

    /** @param startOffsetNanos when the attempt started, from the request's arrival; {@code nanos} how long it took */
    public void add(String target, String outcome, long startOffsetNanos, long nanos, String detail) {
        attempts.add(new Attempt(target, outcome, nanos / 1_000_000, detail, null, -1, startOffsetNanos, nanos));
    }

    /** @return the entry's index, for {@link #replace} */
    public int add(Attempt attempt) {
        attempts.add(attempt);
        return attempts.size() - 1;
    }

    /** Completes an entry logged early (a stream's commit) once its usage and duration are known. */
    void replace(int index, Attempt attempt) {
        attempts.set(index, attempt);
    }

    Attempt get(int index) {
        return attempts.get(index);
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
