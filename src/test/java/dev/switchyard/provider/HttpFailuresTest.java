package dev.switchyard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchyard.model.ApiError;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpFailuresTest {
    private static MultiMap headers(String... kv) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < kv.length; i += 2) m.add(kv[i], kv[i + 1]);
        return m;
    }

    private static Long retryMillis(String... kv) {
        Duration d = HttpFailures.retryAfter(headers(kv));
        return d == null ? null : d.toMillis();
    }

    @Test
    void retryAfterSeconds() {
        assertThat(retryMillis("Retry-After", "2")).isEqualTo(2000);
        assertThat(retryMillis("retry-after", " 1.5 ")).isEqualTo(1500);
        assertThat(retryMillis("retry-after", "0")).isEqualTo(0);
    }

    @Test
    void retryAfterMilliseconds() {
        assertThat(retryMillis("retry-after-ms", "250")).isEqualTo(250);
        assertThat(retryMillis("retry-after-ms", "250.9")).isEqualTo(250);
    }

    @Test
    void retryAfterHttpDate() {
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        Duration d = HttpFailures.retryAfter(headers("retry-after", inAnHour));
        // whole seconds in the header, and the clock moved on since: within a minute of an hour
        assertThat(d).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
        assertThat(retryMillis("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource({
            "6m0s, 360000",
            "1.5s, 1500",
            "250ms, 250",
            "1s, 1000",
            "0s, 0",
            "1h2m3s, 3723000",
            "2m30.5s, 150500",
            "17ms, 17",
            "1m, 60000",
    })
    void rateLimitResetDurations(String value, long millis) {
        assertThat(retryMillis("x-ratelimit-reset-requests", value)).isEqualTo(millis);
        assertThat(retryMillis("x-ratelimit-reset-tokens", value)).isEqualTo(millis);
    }

    @Test
    void theLargestHintWins() {
        assertThat(retryMillis("retry-after", "2", "x-ratelimit-reset-requests", "1s")).isEqualTo(2000);
        assertThat(retryMillis("retry-after", "1", "x-ratelimit-reset-tokens", "6m0s", "retry-after-ms", "10")).isEqualTo(360_000);
        assertThat(retryMillis("retry-after-ms", "2500", "retry-after", "2")).isEqualTo(2500);
    }

    @Test
    void garbageIsIgnored() {
        assertThat(retryMillis()).isNull();
        assertThat(HttpFailures.retryAfter(null)).isNull();
        assertThat(retryMillis("retry-after", "soon")).isNull();
        assertThat(retryMillis("retry-after-ms", "x")).isNull();
        assertThat(retryMillis("x-ratelimit-reset-requests", "")).isNull();
        assertThat(retryMillis("x-ratelimit-reset-requests", "tomorrow")).isNull();
        assertThat(retryMillis("x-ratelimit-reset-requests", "5")).isNull();
        // a garbage hint does not hide a good one
        assertThat(retryMillis("retry-after", "soon", "x-ratelimit-reset-requests", "3s")).isEqualTo(3000);
    }

    @Test
    void negativeOrNonFiniteHintsAreIgnored() {
        assertThat(retryMillis("retry-after", "-5")).isNull();
        assertThat(retryMillis("retry-after-ms", "-1")).isNull();
        assertThat(retryMillis("retry-after", "NaN")).isNull();
        assertThat(retryMillis("retry-after", "Infinity")).isNull();
        assertThat(retryMillis("retry-after", "-5", "retry-after-ms", "100")).isEqualTo(100);
    }

    @ParameterizedTest
    @CsvSource({
            "429, RATE_LIMITED",
            "500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT", "529, TRANSIENT",
            "408, TRANSIENT", "409, TRANSIENT",
            "401, FAILOVER", "403, FAILOVER", "404, FAILOVER",
            "400, CLIENT_ERROR", "413, CLIENT_ERROR", "422, CLIENT_ERROR", "415, CLIENT_ERROR",
    })
    void statusToKind(int status, FailureKind kind) {
        ApiError clientError = new ApiError(status, "invalid_request_error", "c", "p", "bad");
        UpstreamFailure f = HttpFailures.byStatus(status, headers("retry-after", "3"), clientError, "msg");
        assertThat(f.kind()).isEqualTo(kind);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.label()).isEqualTo(Integer.toString(status));
        assertThat(f.message()).isEqualTo("msg");
        switch (kind) {
            case RATE_LIMITED, TRANSIENT -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(3));
            default -> assertThat(f.retryAfter()).isNull();
        }
        // only a client error carries an answer for the client
        assertThat(f.clientError()).isEqualTo(kind == FailureKind.CLIENT_ERROR ? clientError : null);
    }
}
