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
 * timeout. Also throttles logins. A password is checked only after an attempt is admitted, and the
 * admission is counted before the (slow) hash, so parallel guesses cannot slip past the limit:
 * {@link #MAX_FAILURES} attempts per name and client address, then that pair is locked for {@link
 * #LOCKOUT} (a lock that later failures extend, never clear); and {@link #MAX_CLIENT_ATTEMPTS}
 * attempts per client address over all names. An attacker therefore cannot lock a reviewer out from
 * another address. The tracking is bounded: past {@link #MAX_TRACKED} names and addresses, expired
 * entries are dropped and, if none, new ones are refused.
 */
public final class Sessions {
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(1);

    /** Login attempts one client address may make per {@link #LOCKOUT}, over all names. */
    public static final int MAX_CLIENT_ATTEMPTS = 30;

    /** Names and addresses tracked at most. */
    public static final int MAX_TRACKED = 10_000;

    /** Longest a session lives, however active: a stolen cookie does not work forever. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);

    public record Session(
            String token, String user, Role role, Instant created, Instant lastUsed) {}

    /** Attempts in the window that started at {@code since}; locked until {@code lockedUntil}. */
    private record Attempts(int count, Instant since, Instant lockedUntil) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
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
        Instant now = clock.instant();
        Session s = new Session(token, user, role, now, now);
        sessions.put(token, s);
        return s;
    }

    /**
     * The live session of a token, refreshed; empty when unknown, idle too long or past {@link
     * #MAX_LIFETIME}. A session closed meanwhile is never put back.
     */
    public Optional<Session> get(String token) {
        Optional<Session> live = peek(token);
        if (live.isEmpty()) {
            return live;
        }
        Instant now = clock.instant();
        Session fresh =
                sessions.computeIfPresent(
                        token,
                        (k, s) -> new Session(s.token(), s.user(), s.role(), s.created(), now));
        return Optional.ofNullable(fresh);
    }

    /** The live session of a token without refreshing it (a live feed is not activity). */
    public Optional<Session> peek(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = sessions.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (s.lastUsed().plus(idle).isBefore(now) || !s.created().plus(MAX_LIFETIME).isAfter(now)) {
            sessions.remove(token, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Sessions held now. */
    public int count() {
        return sessions.size();
    }

    public void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /**
     * Admits one login attempt of {@code user} from {@code client}, counting it now; false when the
     * pair is locked or the client has used up its attempts. Call {@link #failed} or {@link #open}
     * with the outcome.
     */
    public boolean admit(String user, String client) {
        Instant now = clock.instant();
        if (attempts.size() >= MAX_TRACKED) {
            attempts.values().removeIf(a -> expired(a, now));
            if (attempts.size() >= MAX_TRACKED) {
                return false;
            }
        }
        boolean[] ok = {false};
        attempts.compute(
                "client\u0000" + client,
                (k, a) -> {
                    Attempts cur = a == null || expired(a, now) ? new Attempts(0, now, null) : a;
                    if (cur.count() >= MAX_CLIENT_ATTEMPTS) {
                        return cur;
                    }
                    ok[0] = true;
                    return new Attempts(cur.count() + 1, cur.since(), null);
                });
        if (!ok[0]) {
            return false;
        }
        ok[0] = false;
        attempts.compute(
                key(user, client),
                (k, a) -> {
                    if (a != null && a.lockedUntil() != null && a.lockedUntil().isAfter(now)) {
                        return a;
                    }
                    Attempts cur = a == null || expired(a, now) ? new Attempts(0, now, null) : a;
                    if (cur.count() >= MAX_FAILURES) {
                        return new Attempts(cur.count(), cur.since(), now.plus(LOCKOUT));
                    }
                    ok[0] = true;
                    return new Attempts(cur.count() + 1, cur.since(), null);
                });
        return ok[0];
    }

    /**
     * A successful login: the pair's count starts again, and the attempt is given back to the
     * client's allowance (only failures use it up).
     */
    public void succeeded(String user, String client) {
        attempts.remove(key(user, client));
        attempts.computeIfPresent(
                "client\u0000" + client,
                (k, a) -> new Attempts(Math.max(0, a.count() - 1), a.since(), a.lockedUntil()));
    }

    /** Whether {@code user} from {@code client} is locked out now. */
    public boolean locked(String user, String client) {
        Attempts a = attempts.get(key(user, client));
        return a != null && a.lockedUntil() != null && a.lockedUntil().isAfter(clock.instant());
    }

    /**
     * A failed attempt of an admitted login: at {@link #MAX_FAILURES} failures the pair is locked,
     * and a failure while locked extends the lock rather than clearing it.
     */
    public void failed(String user, String client) {
        Instant now = clock.instant();
        attempts.compute(
                key(user, client),
                (k, a) -> {
                    Attempts cur = a == null ? new Attempts(1, now, null) : a;
                    if (cur.lockedUntil() != null || cur.count() >= MAX_FAILURES) {
                        return new Attempts(cur.count(), cur.since(), now.plus(LOCKOUT));
                    }
                    return cur;
                });
    }

    private static String key(String user, String client) {
        return user + "\u0000" + client;
    }

    private static boolean expired(Attempts a, Instant now) {
        Instant end = a.since().plus(LOCKOUT);
        if (a.lockedUntil() != null && a.lockedUntil().isAfter(end)) {
            end = a.lockedUntil();
        }
        return !end.isAfter(now);
    }
}
