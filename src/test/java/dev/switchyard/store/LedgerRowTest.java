package dev.switchyard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.UsageRecord;
import dev.switchyard.model.RequestIds;
import dev.switchyard.model.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flat queued row must carry everything its record says: the spill file is written from it. */
class LedgerRowTest {
    private static void assertSameRecord(UsageRecord actual, UsageRecord expected) {
        assertThat(actual).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(expected);
    }

    @Test
    void aSoloRequestIsRebuiltFromItsRowAlone() {
        long ts = 1_790_000_000_123L;
        Usage u = new Usage(120, 20, 3, 30, 5);
        UsageRecord r = new UsageRecord(RequestIds.mint(ts), ts, "app", "chat", "openai", "gpt-4o", true, 200, null, false, u,
                new BigDecimal("0.000420001"), "2026-07-24", 9000, 3000, 120,
                List.of(new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 8, 2, u, new BigDecimal("0.000420001"), null)));
        LedgerRow row = LedgerRow.of(r);
        assertThat(row.solo()).isTrue();
        assertThat(row.record).isNull(); // nothing but numbers and shared names waits in the queue
        assertThat(row.clientId).isNull();
        assertSameRecord(row.toRecord(), r);
    }

    @Test
    void aRequestWithoutUsageOrAttemptsIsRebuiltToo() {
        long ts = 1_790_000_000_456L;
        UsageRecord answered = new UsageRecord("trace-1", ts, "app", "chat", "openai", "gpt-4o", false, 200, null, false,
                Usage.NONE, null, "2026-07-24", 4000, -1, 100,
                List.of(new UsageRecord.AttemptRecord(1, "openai", "gpt-4o", "200", 3, -1, null, null, null)));
        UsageRecord refused = new UsageRecord(RequestIds.mint(ts), ts, "app", "chat", null, null, false, 503, "api_error", false,
                Usage.NONE, null, "2026-07-24", 50, -1, 50, List.of());
        assertThat(LedgerRow.of(answered).clientId).isEqualTo("trace-1");
        assertSameRecord(LedgerRow.of(answered).toRecord(), answered);
        assertSameRecord(LedgerRow.of(refused).toRecord(), refused);
    }

    @Test
    void aFailedOverRequestKeepsItsRecordForItsAttemptRows() {
        long ts = 1_790_000_000_789L;
        UsageRecord r = Records.failedOver(RequestIds.mint(ts), ts, "app", "chat", "anthropic", "claude-sonnet-4-5",
                new Usage(10, 0, 0, 5, 0), "0.000105", "openai", "gpt-4o", new Usage(1000, 200, 0, 300, 50), "0.00585", 90_000);
        LedgerRow row = LedgerRow.of(r);
        assertThat(row.solo()).isFalse();
        assertThat(row.record).isSameAs(r);
        assertThat(row.toRecord()).isSameAs(r);
    }

    @Test
    void costsAreKeptAtTheLedgersNanoDollarPrecision() {
        long ts = 1_790_000_000_999L;
        UsageRecord r = Records.ok(RequestIds.mint(ts), ts, "app", "chat", "openai", "gpt-4o", new Usage(1, 0, 0, 1, 0),
                "0.0000000016", 10);
        assertThat(LedgerRow.of(r).costNanos).isEqualTo(2); // half-even, as the ledger rounds
        assertThat(LedgerRow.of(r).toRecord().costUsd()).isEqualByComparingTo("0.000000002");
    }
}
