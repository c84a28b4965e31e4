package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsersTest {
    @Test
    void passwordsAreStoredHashedSaltedAndChecked() {
        String line = Users.line("ann", Role.REVIEWER, "correct horse battery".toCharArray(), 1000);
        assertThat(line).startsWith("ann:reviewer:pbkdf2-sha256:1000:").doesNotContain("horse");
        String again =
                Users.line("ann", Role.REVIEWER, "correct horse battery".toCharArray(), 1000);
        assertThat(again).as("random salt").isNotEqualTo(line);
        Users users = Users.parse(List.of("# accounts", line), "test");
        assertThat(users.authenticate("ann", "correct horse battery".toCharArray()))
                .hasValueSatisfying(u -> assertThat(u.role()).isEqualTo(Role.REVIEWER));
        assertThat(users.authenticate("ann", "wrong password!!".toCharArray())).isEmpty();
        assertThat(users.authenticate("bob", "correct horse battery".toCharArray())).isEmpty();
        assertThatThrownBy(() -> Users.line("x", Role.ADMIN, "short".toCharArray(), 1000))
                .hasMessageContaining("12");
        assertThatThrownBy(() -> Users.parse(List.of(line, line), "f"))
                .hasMessageContaining("twice");
        assertThat(Role.ADMIN.allows(Role.REVIEWER)).isTrue();
        assertThat(Role.ANALYST.allows(Role.REVIEWER)).isFalse();
    }

    @Test
    void sessionsExpireWhenIdleAndLoginsLockAfterRepeatedFailures() {
        MutableClock clock = new MutableClock();
        Sessions s = new Sessions(Duration.ofMinutes(30), clock);
        Sessions.Session ann = s.open("ann", Role.ANALYST);
        assertThat(ann.token()).hasSizeGreaterThan(40);
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        assertThat(s.get(ann.token())).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertThat(s.get(ann.token())).isEmpty();
        assertThat(s.get("forged")).isEmpty();
        for (int i = 0; i < Sessions.MAX_FAILURES; i++) {
            assertThat(s.locked("bob")).isFalse();
            s.failed("bob");
        }
        assertThat(s.locked("bob")).isTrue();
        clock.now = clock.now.plus(Sessions.LOCKOUT).plusSeconds(1);
        assertThat(s.locked("bob")).isFalse();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
