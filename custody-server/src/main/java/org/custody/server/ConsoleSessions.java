package org.custody.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-in sessions: a browser that presented a known token gets a random session id in an HttpOnly,
 * SameSite=Strict cookie, and the server keeps only the id's SHA-256 with the caller it stands for (never the token).
 * A session ends at sign-out or after {@link #LIFETIME}; a server restart ends them all. Bounded in number: the
 * oldest is dropped when a new one would pass {@link #MAX_SESSIONS}.
 */
final class ConsoleSessions {
    static final String COOKIE = "custody_console";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(Caller caller, Instant expires) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session for {@code caller}: the id to put in the cookie (32 random bytes, base64url). */
    String open(Caller caller) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires().isAfter(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::expires)))
                    .ifPresent(e -> sessions.remove(e.getKey()));
        }
        sessions.put(hash(id), new Session(caller, now.plus(LIFETIME)));
        return id;
    }

    /** The caller of the session whose id the cookie carries, if it is known and not expired. */
    Optional<Caller> caller(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        String key = hash(id); // looked up by hash: the id itself is never compared
        Session s = sessions.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expires().isAfter(clock.instant())) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.of(s.caller());
    }

    /** Ends the session (sign-out). */
    void close(String id) {
        if (id != null && id.length() <= 64) {
            sessions.remove(hash(id));
        }
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
