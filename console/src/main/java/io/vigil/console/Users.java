package io.vigil.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Console accounts from a file of lines {@code name:role:pbkdf2-sha256:iterations:salt:hash}
 * (Base64). Passwords are stored only as PBKDF2-HMAC-SHA256 hashes with a random salt; {@code vigil
 * console add-user} writes the lines.
 */
public final class Users {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    public record User(String name, Role role, int iterations, byte[] salt, byte[] hash) {}

    private final Map<String, User> users;

    private Users(Map<String, User> users) {
        this.users = users;
    }

    public static Users load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    public static Users parse(List<String> lines, String source) {
        Map<String, User> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":");
            if (f.length != 6 || !f[2].equals(SCHEME)) {
                throw new IllegalArgumentException(
                        source
                                + " line "
                                + (i + 1)
                                + ": expected name:role:"
                                + SCHEME
                                + ":iterations:salt:hash");
            }
            Base64.Decoder b64 = Base64.getDecoder();
            User u =
                    new User(
                            f[0],
                            Role.parse(f[1]),
                            Integer.parseInt(f[3]),
                            b64.decode(f[4]),
                            b64.decode(f[5]));
            if (m.put(u.name(), u) != null) {
                throw new IllegalArgumentException(
                        source + " line " + (i + 1) + ": user " + u.name() + " listed twice");
            }
        }
        return new Users(m);
    }

    /** The work done for an unknown name: the most any account's hash takes. */
    private int unknownNameIterations() {
        return users.values().stream().mapToInt(User::iterations).max().orElse(DEFAULT_ITERATIONS);
    }

    /** The user when the password is right; the same work is done for unknown names. */
    public Optional<User> authenticate(String name, char[] password) {
        User u = users.get(name);
        if (u == null) {
            // As slow as a real account, so the answer's time does not tell which names exist.
            hash(password, new byte[16], unknownNameIterations());
            return Optional.empty();
        }
        byte[] got = hash(password, u.salt(), u.iterations());
        return MessageDigest.isEqual(got, u.hash()) ? Optional.of(u) : Optional.empty();
    }

    public boolean contains(String name) {
        return users.containsKey(name);
    }

    public int size() {
        return users.size();
    }

    /** A users-file line for a new account. */
    public static String line(String name, Role role, char[] password, int iterations) {
        if (name.isBlank() || name.contains(":")) {
            throw new IllegalArgumentException("a user name is not blank and has no ':'");
        }
        if (password.length < 12) {
            throw new IllegalArgumentException("a password has at least 12 characters");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return String.join(
                ":",
                name,
                role.name().toLowerCase(java.util.Locale.ROOT),
                SCHEME,
                String.valueOf(iterations),
                b64.encodeToString(salt),
                b64.encodeToString(hash(password, salt, iterations)));
    }

    static byte[] hash(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(spec)
                        .getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
