package dev.switchyard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ModelRoute;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetOrderTest {
    private static Target t(String id, int weight) {
        return new Target(id, null, id, weight, null);
    }

    private static RoutePlan plan(ModelRoute.Strategy s, Target... targets) {
        return new RoutePlan("m", List.of(targets), 0, Duration.ZERO, s);
    }

    @Test
    void priorityKeepsTheConfiguredOrder() {
        RoutePlan p = plan(ModelRoute.Strategy.PRIORITY, t("a", 1), t("b", 1), t("c", 1));
        assertThat(TargetOrder.order(p, x -> 1, x -> 1, new SplittableRandom(1))).extracting(Target::id).containsExactly("a", "b", "c");
    }

    @Test
    void leastLatencyPutsUnmeasuredFirstThenFastest() {
        Map<String, Double> ms = Map.of("a", 300.0, "b", 120.0, "c", Double.NaN);
        RoutePlan p = plan(ModelRoute.Strategy.LEAST_LATENCY, t("a", 1), t("b", 1), t("c", 1));
        assertThat(TargetOrder.order(p, x -> ms.get(x.id()), x -> 0, new SplittableRandom(1)))
                .extracting(Target::id).containsExactly("c", "b", "a");
    }

    @Test
    void lowestCostPutsUnpricedLast() {
        Map<String, Double> price = Map.of("a", 5.0, "b", Double.NaN, "c", 0.5);
        RoutePlan p = plan(ModelRoute.Strategy.LOWEST_COST, t("a", 1), t("b", 1), t("c", 1));
        assertThat(TargetOrder.order(p, x -> 0, x -> price.get(x.id()), new SplittableRandom(1)))
                .extracting(Target::id).containsExactly("c", "a", "b");
    }

    @Test
    void weightedGoesFirstInProportionToWeightAndKeepsEveryTarget() {
        RoutePlan p = plan(ModelRoute.Strategy.WEIGHTED, t("a", 2), t("b", 1), t("zero", 0));
        SplittableRandom rnd = new SplittableRandom(42);
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            List<Target> o = TargetOrder.order(p, x -> 0, x -> 0, rnd);
            assertThat(o).hasSize(3);
            assertThat(o.get(2).id()).isEqualTo("zero");
            first.merge(o.get(0).id(), 1, Integer::sum);
        }
        double shareA = first.get("a") / 30_000.0;
        assertThat(shareA).isBetween(0.64, 0.69); // 2/3 expected
    }
}
