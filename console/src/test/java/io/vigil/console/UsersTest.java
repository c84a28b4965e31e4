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
            assertThat(s.admit("bob", "10.0.0.9")).isTrue();
            s.failed("bob", "10.0.0.9");
        }
        assertThat(s.locked("bob", "10.0.0.9")).isTrue();
        // A sixth attempt is refused and keeps the lock; a failure while locked extends it.
        assertThat(s.admit("bob", "10.0.0.9")).isFalse();
        s.failed("bob", "10.0.0.9");
        assertThat(s.locked("bob", "10.0.0.9")).isTrue();
        // The attacker's address is locked, not bob: he can still log in from his own.
        assertThat(s.admit("bob", "10.0.0.1")).isTrue();
        clock.now = clock.now.plus(Sessions.LOCKOUT).plusSeconds(1);
        assertThat(s.locked("bob", "10.0.0.9")).isFalse();
        assertThat(s.admit("bob", "10.0.0.9")).isTrue();
    }

    @Test
    void parallelGuessesCannotGetPastTheLimit() throws Exception {
        Sessions s = new Sessions(Duration.ofMinutes(30), new MutableClock());
        java.util.concurrent.atomic.AtomicInteger admitted =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            pool.submit(
                    () -> {
                        start.await();
                        if (s.admit("admin", "10.0.0.9")) {
                            admitted.incrementAndGet();
                            s.failed("admin", "10.0.0.9");
                        }
                        return null;
                    });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(admitted.get()).isEqualTo(Sessions.MAX_FAILURES);
        assertThat(s.locked("admin", "10.0.0.9")).isTrue();
    }

    @Test
    void oneAddressCannotTryManyNamesAndUnknownNamesCostWhatKnownOnesDo() {
        Sessions s = new Sessions(Duration.ofMinutes(30), new MutableClock());
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (s.admit("user-" + i, "10.0.0.9")) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(Sessions.MAX_CLIENT_ATTEMPTS);

        Users users =
                Users.parse(
                        List.of(
                                Users.line(
                                        "ann",
                                        Role.ANALYST,
                                        "a long password".toCharArray(),
                                        200_000)),
                        "test");
        long known = timeOf(() -> users.authenticate("ann", "wrong".toCharArray()));
        long unknown = timeOf(() -> users.authenticate("nobody", "wrong".toCharArray()));
        // Within a factor of two (the old code was ten times faster for unknown names).
        assertThat((double) unknown / known).isBetween(0.5, 2.0);
    }

    private static long timeOf(Runnable r) {
        r.run(); // warm-up
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
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
