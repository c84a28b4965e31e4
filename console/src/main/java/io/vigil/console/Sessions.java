package io.vigil.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions: random 256-bit tokens held only in memory, ended by logout or after an idle
 * timeout. Also throttles logins: after {@link #MAX_FAILURES} failures a name is locked for {@link
 * #LOCKOUT}.
 */
public final class Sessions {
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(1);

    public record Session(String token, String user, Role role, Instant lastUsed) {}

    private record Failures(int count, Instant lockedUntil) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public Sessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public Session open(String user, Role role) {
        byte[] t = new byte[32];
        random.nextBytes(t);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        Session s = new Session(token, user, role, clock.instant());
        sessions.put(token, s);
        failures.remove(user);
        return s;
    }

    /** The live session of a token, refreshed; empty when unknown or idle too long. */
    public Optional<Session> get(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = sessions.get(token);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastUsed().plus(idle).isBefore(now)) {
            sessions.remove(token);
            return Optional.empty();
        }
        Session fresh = new Session(s.token(), s.user(), s.role(), now);
        sessions.put(token, fresh);
        return Optional.of(fresh);
    }

    public void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /** Whether a name may try to log in now. */
    public boolean locked(String user) {
        Failures f = failures.get(user);
        return f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(clock.instant());
    }

    public void failed(String user) {
        failures.compute(
                user,
                (k, f) -> {
                    int n = f == null ? 1 : f.count() + 1;
                    return n >= MAX_FAILURES
                            ? new Failures(0, clock.instant().plus(LOCKOUT))
                            : new Failures(n, null);
                });
    }
}
