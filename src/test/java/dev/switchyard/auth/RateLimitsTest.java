package dev.switchyard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final RateLimits limits = new RateLimits(now::get);

    @Test
    void requestsPerMinuteRefuseTheExtraRequestAndSayWhenToRetry() {
        ClientIdentity k = ClientIdentity.of("k", List.of("*"), 3, null);
        for (int i = 0; i < 3; i++) {
            RateLimits.Admission a = limits.admit(k, 10);
            assertThat(a.allowed()).isTrue();
            assertThat(a.status().remainingRequests()).isEqualTo(2 - i);
        }
        RateLimits.Admission refused = limits.admit(k, 10);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limitName()).contains("requests per minute (3)");
        assertThat(refused.retryAfterNanos()).isEqualTo(20_000_000_000L); // 3/min refills one every 20 s
        now.addAndGet(20_000_000_000L);
        assertThat(limits.admit(k, 10).allowed()).isTrue();
    }

    @Test
    void tokensAreReservedThenReconciledWithRealUsage() {
        ClientIdentity k = ClientIdentity.of("k", List.of("*"), null, 1000);
        assertThat(limits.admit(k, 400).status().remainingTokens()).isEqualTo(600);
        limits.reconcile(k, 400, 900); // the answer was longer than estimated
        RateLimits.Admission next = limits.admit(k, 200);
        assertThat(next.allowed()).isFalse();
        assertThat(next.limitName()).contains("tokens per minute (1000)");
        limits.reconcile(k, 900, 100); // …or shorter: the difference comes back
        assertThat(limits.admit(k, 200).allowed()).isTrue();
    }

    @Test
    void aTokenRefusalGivesTheRequestSlotBack() {
        ClientIdentity k = ClientIdentity.of("k", List.of("*"), 2, 100);
        assertThat(limits.admit(k, 80).allowed()).isTrue();
        assertThat(limits.admit(k, 50).allowed()).as("only 20 tokens left").isFalse();
        RateLimits.Admission third = limits.admit(k, 10);
        assertThat(third.allowed()).as("the refused request did not use up the second request slot").isTrue();
        assertThat(third.status().remainingRequests()).isEqualTo(0);
    }

    @Test
    void keysWithoutLimitsAreNotTracked() {
        RateLimits.Admission a = limits.admit(ClientIdentity.of("free", List.of("*")), 1_000_000);
        assertThat(a.allowed()).isTrue();
        assertThat(a.status()).isNull();
    }
}
