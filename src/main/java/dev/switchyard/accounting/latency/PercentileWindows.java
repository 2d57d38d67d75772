package dev.switchyard.accounting.latency;

import dev.switchyard.accounting.Attempts;
import dev.switchyard.accounting.LabelDirectory;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Live latency and TTFT percentiles per provider and per public model over the last 1 m, 5 m and 1 h, for
 * the dashboard and the admin API. Only successful requests count (errors are fast or slow for reasons of
 * their own and are in the metrics). A model's numbers are what its clients saw; a provider's start at its
 * answering attempt, so time lost on a target that failed before it is not charged to it.
 *
 * <p>Scopes are the configured providers and models (anything else is {@value LabelDirectory#OTHER}), so
 * memory is bounded by the configuration.
 */
public final class PercentileWindows implements Consumer<ExchangeOutcome> {
    private static final double[] QUANTILES = {50, 90, 95, 99};

    /** One scope's two series. */
    private record Series(SlidingHistogram latency, SlidingHistogram ttft) {}

    private final LabelDirectory labels;
    private final LongSupplier clockMillis;
    private final Map<String, Series> providers = new ConcurrentHashMap<>();
    private final Map<String, Series> models = new ConcurrentHashMap<>();

    /** @param clockMillis wall clock in milliseconds ({@code System::currentTimeMillis}; a fake one in tests) */
    public PercentileWindows(LabelDirectory labels, LongSupplier clockMillis) {
        this.labels = labels;
        this.clockMillis = clockMillis;
    }

    @Override
    public void accept(ExchangeOutcome o) {
        if (o.status() < 200 || o.status() >= 300 || o.truncated()) return;
        record(series(models, labels.model(o.publicModel())), o.totalNanos(), o.ttftNanos());
        LabelDirectory.TargetLabels target = labels.target(o.target());
        if (target == LabelDirectory.NO_TARGET) return;
        AttemptLog.Attempt answering = Attempts.answering(o.attempts());
        long latency = o.totalNanos();
        long ttft = o.ttftNanos();
        if (answering != null) {
            latency = Math.max(0, o.totalNanos() - answering.startOffsetNanos());
            // A stream's attempt is logged when its first token arrives: its duration is the attempt's TTFT.
            if (o.stream() && ttft > 0) ttft = answering.nanos();
        }
        record(series(providers, target.provider().name()), latency, ttft);
    }

    private Series series(Map<String, Series> in, String name) {
        Series s = in.get(name);
        if (s == null) s = in.computeIfAbsent(name, n -> new Series(new SlidingHistogram(clockMillis), new SlidingHistogram(clockMillis)));
        return s;
    }

    /** The percentiles of {@code scope} over {@code window}; empty ones for a scope with no traffic. */
    public ScopeSnapshot snapshot(Scope scope, Window window) {
        Series s = (scope.kind() == Scope.Kind.PROVIDER ? providers : models).get(scope.name());
        if (s == null) return new ScopeSnapshot(scope, window, Percentiles.EMPTY, Percentiles.EMPTY);
        long w = window.length().toMillis();
        return new ScopeSnapshot(scope, window, percentiles(s.latency.snapshot(w)), percentiles(s.ttft.snapshot(w)));
    }

    /** Every scope that has seen traffic, providers first. */
    public List<Scope> scopes() {
        List<Scope> out = new ArrayList<>();
        providers.keySet().stream().sorted().forEach(n -> out.add(Scope.provider(n)));
        models.keySet().stream().sorted().forEach(n -> out.add(Scope.model(n)));
        return out;
    }

    private static Percentiles percentiles(Histogram h) {
        long n = h.getTotalCount();
        if (n == 0) return Percentiles.EMPTY;
        double[] v = new double[QUANTILES.length];
        for (int i = 0; i < v.length; i++) v[i] = millis(h.getValueAtPercentile(QUANTILES[i]));
        return new Percentiles(n, v[0], v[1], v[2], v[3], millis(h.getMaxValue()));
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /** Records both series; a zero TTFT (not a stream) is not a sample. */
    private static void record(Series s, long latencyNanos, long ttftNanos) {
        s.latency.record(latencyNanos / 1000);
        if (ttftNanos > 0) s.ttft.record(ttftNanos / 1000);
    }
}
