package dev.switchyard.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Orders a plan's targets by its strategy. The order only decides who goes first: failover still walks
 * every remaining target.
 */
public final class TargetOrder {
    private TargetOrder() {}

    /**
     * @param expectedMillis smoothed TTFT/latency per target, NaN when unknown (unknown goes first, so new
     *                       targets get measured)
     * @param pricePerMtok   blended price per target, NaN when unknown (unknown goes last)
     */
    public static List<Target> order(RoutePlan plan, ToDoubleFunction<Target> expectedMillis,
            ToDoubleFunction<Target> pricePerMtok, RandomGenerator random) {
        List<Target> targets = plan.targets();
        if (targets.size() < 2) return targets;
        return switch (plan.strategy()) {
            case PRIORITY -> targets;
            case WEIGHTED -> weighted(targets, random);
            case LEAST_LATENCY -> sorted(targets, t -> {
                double v = expectedMillis.applyAsDouble(t);
                return Double.isNaN(v) ? -1 : v;
            });
            case LOWEST_COST -> sorted(targets, t -> {
                double v = pricePerMtok.applyAsDouble(t);
                return Double.isNaN(v) ? Double.MAX_VALUE : v;
            });
        };
    }

    /** Stable sort, so ties keep the configured priority. */
    private static List<Target> sorted(List<Target> targets, ToDoubleFunction<Target> key) {
        List<Target> out = new ArrayList<>(targets);
        out.sort(Comparator.comparingDouble(key));
        return out;
    }

    /**
     * Weighted random order without replacement (Efraimidis–Spirakis: sort by u^(1/w) descending), so a
     * weight-2 target goes first twice as often as a weight-1 one. Weight 0 means "only as a fallback".
     */
    static List<Target> weighted(List<Target> targets, RandomGenerator random) {
        int n = targets.size();
        double[] keys = new double[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            int w = targets.get(i).weight();
            keys[i] = w <= 0 ? -1 : Math.pow(random.nextDouble(), 1.0 / w);
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(keys[b], keys[a]));
        List<Target> out = new ArrayList<>(n);
        for (Integer i : idx) out.add(targets.get(i));
        return out;
    }
}
