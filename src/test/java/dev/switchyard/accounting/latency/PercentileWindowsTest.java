package dev.switchyard.accounting.latency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.accounting.Outcomes;
import dev.switchyard.model.Operation;
import dev.switchyard.model.Usage;
import dev.switchyard.resilience.AttemptLog;
import dev.switchyard.resilience.ExchangeOutcome;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PercentileWindowsTest {
    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final PercentileWindows windows = new PercentileWindows(Outcomes.labels(), now::get);

    @Test
    void percentilesPerModelAndProviderRollOutOfTheMinuteWindow() {
        for (int i = 1; i <= 100; i++) {
            windows.accept(Outcomes.chat("chat", "openai/gpt-4o", 200, Usage.NONE, Outcomes.log("openai/gpt-4o", "200", 0, i), i));
        }
        ScopeSnapshot model = windows.snapshot(Scope.model("chat"), Window.ONE_MINUTE);
        assertThat(model.latency().count()).isEqualTo(100);
        assertThat(model.latency().p50()).isBetween(49.0, 51.0);
        assertThat(model.latency().p90()).isBetween(89.0, 91.0);
        assertThat(model.latency().p95()).isBetween(94.0, 96.0);
        assertThat(model.latency().p99()).isBetween(98.0, 100.0);
        assertThat(model.latency().max()).isBetween(99.0, 101.0);
        assertThat(model.ttft().count()).isZero();
        assertThat(windows.snapshot(Scope.provider("openai"), Window.ONE_MINUTE).latency().count()).isEqualTo(100);

        now.addAndGet(90_000);
        assertThat(windows.snapshot(Scope.model("chat"), Window.ONE_MINUTE).latency()).isEqualTo(Percentiles.EMPTY);
        assertThat(windows.snapshot(Scope.model("chat"), Window.FIVE_MINUTES).latency().count()).isEqualTo(100);
        assertThat(windows.snapshot(Scope.provider("openai"), Window.ONE_HOUR).latency().count()).isEqualTo(100);
        assertThat(windows.scopes()).containsExactly(Scope.provider("openai"), Scope.model("chat"));
    }

    @Test
    void aProviderIsTimedFromItsOwnAttemptAndStreamsGiveTtft() {
        // openai failed after 400 ms, local answered: its stream's first token came 30 ms into its attempt
        AttemptLog log = Outcomes.log("openai/gpt-4o", "503", 0, 400, "local/sim-small", "200", 400, 30);
        windows.accept(new ExchangeOutcome("r", "chat", "local/sim-small", true, 200, null, log, 0, Outcomes.ms(600),
                Outcomes.ms(430), 0, null, false, Operation.CHAT, null));
        ScopeSnapshot model = windows.snapshot(Scope.model("chat"), Window.ONE_MINUTE);
        assertThat(model.latency().p50()).isBetween(594.0, 606.0);
        assertThat(model.ttft().p50()).isBetween(426.0, 434.0);
        ScopeSnapshot local = windows.snapshot(Scope.provider("local"), Window.ONE_MINUTE);
        assertThat(local.latency().p50()).isBetween(198.0, 202.0);
        assertThat(local.ttft().p50()).isBetween(29.7, 30.3);
        // the provider that failed has no sample: failures are not latency
        assertThat(windows.snapshot(Scope.provider("openai"), Window.ONE_MINUTE).latency().count()).isZero();
    }

    @Test
    void failuresAndBrokenStreamsAreNotSamples() {
        windows.accept(Outcomes.chat("chat", "openai/gpt-4o", 502, null, Outcomes.log("openai/gpt-4o", "502", 0, 5), 5));
        windows.accept(new ExchangeOutcome("r", "chat", "openai/gpt-4o", true, 200, null,
                Outcomes.log("openai/gpt-4o", "200", 0, 5), 0, 1, 1, 0, "stream_broken", true, Operation.CHAT, null));
        assertThat(windows.scopes()).isEmpty();
    }

    @Test
    void unknownModelsShareOneScope() {
        for (int i = 0; i < 20; i++) {
            String id = "openai/unlisted-" + i;
            windows.accept(Outcomes.chat(id, id, 200, Usage.NONE, Outcomes.log(id, "200", 0, 5), 5));
        }
        assertThat(windows.scopes()).containsExactly(Scope.provider("openai"), Scope.model("other"));
        assertThat(windows.snapshot(Scope.model("other"), Window.ONE_MINUTE).latency().count()).isEqualTo(20);
    }
}
