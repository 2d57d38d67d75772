package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.auth.Budget;
import dev.switchyard.auth.ClientIdentity;
import dev.switchyard.config.GatewayConfig;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetsTest {
    private static final long CENT = 10_000_000L; // nano-USD
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-07-24T10:00:00Z").toEpochMilli());
    private final PriceBook prices = new PriceBook(PriceCatalog.bundled(), Map.of("p", "openai"),
            Map.of("p/cheap", new GatewayConfig.PriceOverride(1.0, 2.0, null, null),
                    "p/dear", new GatewayConfig.PriceOverride(10.0, 20.0, null, null)));
    private final Budgets budgets = new Budgets(now::get, () -> prices);

    private static ClientIdentity key(Budget b) {
        return ClientIdentity.of("k", List.of("*"), null, null, b);
    }

    private static UsageRecord spent(long ts, long... attemptNanos) {
        List<UsageRecord.AttemptRecord> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < attemptNanos.length; i++) {
            attempts.add(new UsageRecord.AttemptRecord(i + 1, "p", "m", "200", 1, -1, Usage.NONE,
                    BigDecimal.valueOf(attemptNanos[i], 9), null));
        }
        attempts.add(new UsageRecord.AttemptRecord(attemptNanos.length + 1, "p", "x", "502", 1, -1, null, null, "unpriced"));
        return new UsageRecord("r", ts, "k", "chat", "p", "m", false, 200, null, false, Usage.NONE, null, "v", 1, -1, 1, attempts);
    }

    @Test
    void spentPlusReservedNeverPassesTheBudget() {
        ClientIdentity k = key(new Budget(null, null, 10 * CENT));
        Budgets.Admission a = budgets.admit(k, 4 * CENT);
        Budgets.Admission b = budgets.admit(k, 4 * CENT);
        Budgets.Admission c = budgets.admit(k, 4 * CENT);
        assertThat(a.allowed()).isTrue();
        assertThat(b.allowed()).isTrue();
        assertThat(c.allowed()).as("8¢ reserved + 4¢ would pass 10¢").isFalse();
        assertThat(c.refusal().reservedNanos()).isEqualTo(8 * CENT);
        assertThat(c.refusal().resetsAt()).isNull();
        // the first ends costing 3¢ (its reservation released after its cost is recorded)
        budgets.record(spent(now.get(), 3 * CENT));
        budgets.release(a.reservation());
        assertThat(budgets.spent("k")).isEqualTo(new Budgets.Spent(3 * CENT, 3 * CENT, 3 * CENT, 4 * CENT));
        assertThat(budgets.admit(k, 3 * CENT).allowed()).as("3 + 4 + 3 = 10").isTrue();
        assertThat(budgets.admit(k, 1).allowed()).isFalse();
    }

    @Test
    void everyBilledAttemptCountsAndKeysWithoutABudgetAreStillTracked() {
        budgets.record(spent(now.get(), 2 * CENT, 5 * CENT));
        assertThat(budgets.spent("k").total()).isEqualTo(7 * CENT);
        Budgets.Admission free = budgets.admit(key(Budget.NONE), 1_000 * CENT);
        assertThat(free.allowed()).isTrue();
        assertThat(free.reservation()).isEqualTo(Budgets.Reservation.NONE);
        assertThat(budgets.spent("k").reserved()).isZero();
    }

    @Test
    void dayAndMonthRollOverAtUtcBoundariesAndTheRefusalNamesTheLongestLimit() {
        ClientIdentity k = key(new Budget(5 * CENT, 8 * CENT, 100 * CENT));
        budgets.record(spent(now.get(), 5 * CENT));
        Budgets.Refusal day = budgets.admit(k, 1).refusal();
        assertThat(day.period()).isEqualTo(Budgets.Period.DAY);
        assertThat(day.resetsAt()).isEqualTo(Instant.parse("2026-07-25T00:00:00Z"));

        now.set(Instant.parse("2026-07-25T00:00:00Z").toEpochMilli());
        assertThat(budgets.spent("k")).isEqualTo(new Budgets.Spent(0, 5 * CENT, 5 * CENT, 0));
        budgets.record(spent(now.get(), 3 * CENT));
        Budgets.Refusal month = budgets.admit(k, 1).refusal();
        assertThat(month.period()).as("the day has 2¢ left, the month none").isEqualTo(Budgets.Period.MONTH);
        assertThat(month.resetsAt()).isEqualTo(Instant.parse("2026-08-01T00:00:00Z"));

        // a request that started yesterday and ends today counts for the month and the total only
        budgets.record(spent(Instant.parse("2026-07-24T23:59:59Z").toEpochMilli(), CENT));
        assertThat(budgets.spent("k")).isEqualTo(new Budgets.Spent(3 * CENT, 9 * CENT, 9 * CENT, 0));

        now.set(Instant.parse("2026-08-01T00:00:01Z").toEpochMilli());
        assertThat(budgets.spent("k")).isEqualTo(new Budgets.Spent(0, 0, 9 * CENT, 0));
        assertThat(budgets.admit(k, 4 * CENT).allowed()).isTrue();
    }

    @Test
    void loadedSpendCounts() {
        budgets.load(List.of(new Budgets.Loaded("k", 4 * CENT, 6 * CENT, 50 * CENT)));
        assertThat(budgets.admit(key(new Budget(5 * CENT, null, null)), 2 * CENT).allowed()).isFalse();
        assertThat(budgets.admit(key(new Budget(null, null, 51 * CENT)), CENT).allowed()).isTrue();
        assertThat(budgets.all()).containsKey("k");
    }

    @Test
    void theEstimateIsThePromptAndTheAnswerBoundOnTheDearestTarget() {
        // 1000 prompt tokens and 500 output tokens: cheap $0.001 + $0.001, dear $0.01 + $0.01
        assertThat(budgets.estimateNanos(List.of("p/cheap", "p/dear"), 1000, 500)).isEqualTo(2 * CENT);
        assertThat(budgets.estimateNanos(List.of("p/cheap"), 1000, 500)).isEqualTo(CENT / 5);
        assertThat(budgets.estimateNanos(List.of("p/no-such-model"), 1000, 500)).as("unpriced").isZero();
    }
}
