package dev.switchyard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.config.ModelRoute;
import dev.switchyard.model.ApiError;
import dev.switchyard.routing.RoutePlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureVerdictTest {
    private static final RoutePlan PLAN = new RoutePlan("chat", List.of(), 0, Duration.ZERO, ModelRoute.Strategy.PRIORITY);
    private static final ApiError REFUSAL = new ApiError(400, "invalid_request_error", "context_length_exceeded", "messages", "too long");

    private static AttemptLog log(String... outcomes) {
        AttemptLog l = new AttemptLog();
        for (int i = 0; i < outcomes.length; i++) l.add("p" + i + "/m", outcomes[i], 1, "detail " + i);
        return l;
    }

    @Test
    void allTimeoutsIs504EvenWhenOneWasAHedge() {
        ApiError e = FailureVerdict.allFailed(PLAN, log("timeout", "timeout(hedge)"), null, 0, null);
        assertThat(e.status()).isEqualTo(504);
        assertThat(e.code()).isEqualTo("upstream_timeout");
    }

    @Test
    void allUnavailableIs503() {
        assertThat(FailureVerdict.allFailed(PLAN, log("429", "breaker_open", "529(hedge)", "cooling_down", "at_capacity"), null, 0, null)
                .status()).isEqualTo(503);
    }

    @Test
    void anythingElseIs502NamingEveryAttempt() {
        ApiError e = FailureVerdict.allFailed(PLAN, log("429", "500"), null, 0, null);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.message()).contains("model 'chat'", "p0/m → detail 0", "p1/m → detail 1");
    }

    @Test
    void whenEveryTriedTargetRefusedThePromptTheClientGetsTheRefusal() {
        assertThat(FailureVerdict.allFailed(PLAN, log("400", "skipped_context", "400"), REFUSAL, 2, null)).isSameAs(REFUSAL);
        assertThat(FailureVerdict.allFailed(PLAN, log("400", "500"), REFUSAL, 1, null).status()).isEqualTo(502);
        assertThat(FailureVerdict.allFailed(PLAN, log("400", "breaker_open"), REFUSAL, 1, null).status())
                .as("a target that could not be tried might have fitted").isEqualTo(502);
    }

    @Test
    void onlyStrictSkipsIsA400NamingTheParameterButTriedTargetsDecideOtherwise() {
        ApiError strict = FailureVerdict.allFailed(PLAN, log("skipped_strict", "skipped_strict"), null, 0, "logprobs");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.code()).isEqualTo("unsupported_parameter");
        assertThat(strict.param()).isEqualTo("logprobs");
        assertThat(FailureVerdict.allFailed(PLAN, log("skipped_strict", "503"), null, 0, "logprobs").status())
                .as("a target that was tried and is down: retrying later can help").isEqualTo(503);
    }
}
