package dev.switchyard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    private final List<UsageRecord> sink = new ArrayList<>();
    private final PriceBook prices = CostCalculatorTest.book(Map.of());
    private final UsageRecorder recorder = new UsageRecorder(prices, sink::add);

    private static ExchangeOutcome outcome(String target, int status, Usage usage, AttemptLog log, String key, boolean stream) {
        return new ExchangeOutcome("req_1", "chat", target, stream, status, usage, log, 1_700_000_000_000L, 12_345_678,
                stream ? 4_000_000 : 0, 250_000, status == 200 ? null : "api_error", false, key);
    }

    @Test
    void everyAttemptIsCostedOnItsOwnTargetAndTheRequestPaysForAll() {
        AttemptLog log = new AttemptLog();
        // a stream that broke after content on Anthropic (its input was reported), then OpenAI answered
        log.add(new AttemptLog.Attempt("anthropic/claude-sonnet-4-5", "200", 900, null, new Usage(1000, 0, 0, 20, 0), 300));
        log.add("anthropic/claude-sonnet-4-5", "dropped", 900, "upstream connection lost mid-stream");
        log.add(new AttemptLog.Attempt("openai/gpt-4o", "200", 700, null, new Usage(1000, 200, 0, 500, 0), -1));
        recorder.accept(outcome("openai/gpt-4o", 200, new Usage(1000, 200, 0, 500, 0), log, "team-a", true));

        UsageRecord r = sink.get(0);
        assertThat(r.keyName()).isEqualTo("team-a");
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.model()).isEqualTo("gpt-4o");
        assertThat(r.attempts()).hasSize(3);
        // 1000×3e-6 + 20×1.5e-5 = 0.0033 for the broken Anthropic stream
        assertThat(r.attempts().get(0).costUsd()).isEqualByComparingTo("0.0033");
        assertThat(r.attempts().get(0).ttftMillis()).isEqualTo(300);
        assertThat(r.attempts().get(1).costUsd()).isNull(); // same physical attempt: its tokens are on entry 1 only
        assertThat(r.attempts().get(2).costUsd()).isEqualByComparingTo("0.00725");
        assertThat(r.costUsd()).isEqualByComparingTo("0.01055");
        assertThat(r.tokens()).isEqualTo(new Usage(2000, 200, 0, 520, 0));
        assertThat(r.catalogVersion()).isEqualTo("2026-07-24");
        assertThat(r.latencyMicros()).isEqualTo(12_345);
        assertThat(r.ttftMicros()).isEqualTo(4000);
        assertThat(r.overheadMicros()).isEqualTo(250);
    }

    @Test
    void outcomesWithoutPerAttemptUsageChargeTheAnsweringAttempt() {
        AttemptLog log = new AttemptLog();
        log.add("openai/gpt-4o", "503", 20, "overloaded");
        log.add("openai/gpt-4o", "200", 300, null);
        recorder.accept(outcome("openai/gpt-4o", 200, new Usage(1000, 200, 0, 500, 0), log, null, false));
        UsageRecord r = sink.get(0);
        assertThat(r.costUsd()).isEqualByComparingTo("0.00725");
        assertThat(r.attempts().get(0).tokens()).isNull();
        assertThat(r.attempts().get(1).tokens()).isEqualTo(new Usage(1000, 200, 0, 500, 0));
        assertThat(r.keyName()).isNull();
    }

    @Test
    void unknownIsNullNotZero() {
        AttemptLog unpriced = new AttemptLog();
        unpriced.add(new AttemptLog.Attempt("local/llama", "200", 10, null, new Usage(10, 0, 0, 10, 0), -1));
        recorder.accept(outcome("local/llama", 200, new Usage(10, 0, 0, 10, 0), unpriced, "k", false));
        assertThat(sink.get(0).costUsd()).isNull();
        assertThat(prices.unpricedCount()).isEqualTo(1);

        AttemptLog noUsage = new AttemptLog();
        noUsage.add("openai/gpt-4o", "200", 10, null); // answered, but the upstream never said how much
        recorder.accept(outcome("openai/gpt-4o", 200, null, noUsage, "k", false));
        assertThat(sink.get(1).costUsd()).isNull();

        AttemptLog failed = new AttemptLog();
        failed.add("openai/gpt-4o", "timeout", 10, "first_token 8000ms");
        recorder.accept(outcome("openai/gpt-4o", 504, null, failed, "k", false));
        assertThat(sink.get(2).costUsd()).isEqualByComparingTo("0"); // nothing was answered: nothing billed
        assertThat(sink.get(2).errorType()).isEqualTo("api_error");
    }

    @Test
    void clientChosenStringsAreBoundedAndPrintable() {
        AttemptLog log = new AttemptLog();
        String model = "evil\u0000model\n" + "x".repeat(1000);
        log.add("openai/" + model, "404", 10, "no such model");
        recorder.accept(new ExchangeOutcome("id\u0001", "openai/" + model, "openai/" + model, false, 404, null, log, 1, 1, 0, 1,
                "invalid_request_error", false, "k"));
        UsageRecord r = sink.get(0);
        assertThat(r.id()).isEqualTo("id ");
        assertThat(r.model()).hasSize(256).startsWith("evil model x");
        assertThat(r.route()).hasSize(256).doesNotContain("\u0000");
    }
}
