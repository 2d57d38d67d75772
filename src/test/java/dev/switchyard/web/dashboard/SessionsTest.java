package dev.switchyard.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchyard.auth.KeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Sessions sessions = new Sessions(Duration.ofHours(8), now::get);
    private static final byte[] ADMIN = KeyRing.digest("admin-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void idsAre256RandomBitsNeverRepeated() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Sessions.Issued s = sessions.open(ADMIN);
            assertThat(s.id()).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url without padding
            assertThat(seen.add(s.id())).isTrue();
            assertThat(s.expiresAtMillis()).isEqualTo(now.get() + Duration.ofHours(8).toMillis());
        }
    }

    @Test
    void aSessionLastsItsTtlThenIsGone() {
        Sessions.Issued s = sessions.open(ADMIN);
        now.addAndGet(Duration.ofHours(8).toMillis() - 1);
        assertThat(sessions.find(s.id(), ADMIN)).isNotNull();
        now.addAndGet(1);
        assertThat(sessions.find(s.id(), ADMIN)).isNull();
        assertThat(sessions.size()).isZero(); // removed, not just refused
    }

    @Test
    void changingTheAdminKeyEndsTheSessionsItOpened() {
        Sessions.Issued s = sessions.open(ADMIN);
        byte[] rotated = KeyRing.digest("new-admin-key".getBytes(StandardCharsets.UTF_8));
        assertThat(sessions.find(s.id(), rotated)).isNull();
        assertThat(sessions.find(s.id(), ADMIN)).as("gone for good, even if the old key came back").isNull();
    }

    @Test
    void closeEndsOneSessionOnly() {
        Sessions.Issued a = sessions.open(ADMIN);
        Sessions.Issued b = sessions.open(ADMIN);
        assertThat(sessions.close(a.id())).isTrue();
        assertThat(sessions.close(a.id())).isFalse();
        assertThat(sessions.find(a.id(), ADMIN)).isNull();
        assertThat(sessions.find(b.id(), ADMIN)).isNotNull();
        assertThat(sessions.close(null)).isFalse();
    }

    @Test
    void malformedIdsAreRejectedWithoutALookup() {
        sessions.open(ADMIN);
        assertThat(sessions.find(null, ADMIN)).isNull();
        assertThat(sessions.find("", ADMIN)).isNull();
        assertThat(sessions.find("x".repeat(10_000), ADMIN)).isNull();
    }

    @Test
    void signInsCannotGrowTheTableWithoutBound() {
        Sessions.Issued first = sessions.open(ADMIN);
        for (int i = 0; i < Sessions.MAX_SESSIONS + 50; i++) {
            now.incrementAndGet();
            sessions.open(ADMIN);
        }
        assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
        assertThat(sessions.find(first.id(), ADMIN)).as("the oldest went first").isNull();
    }

    @Test
    void theTtlMustBePositive() {
        assertThatThrownBy(() -> new Sessions(Duration.ZERO, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
