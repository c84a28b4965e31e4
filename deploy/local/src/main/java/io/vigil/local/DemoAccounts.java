package io.vigil.local;

import io.vigil.console.Role;
import io.vigil.console.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The console accounts of a local run (the demo, the local cluster): an analyst, two reviewers and
 * an administrator, each with a random password that is shown once and stored only as a hash.
 */
public final class DemoAccounts {
    private DemoAccounts() {}

    /** Writes the users file; returns one line per account, with its password, to show once. */
    public static List<String> write(Path usersFile) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String[] u :
                List.of(
                        new String[] {"analyst", "analyst"},
                        new String[] {"reviewer1", "reviewer"},
                        new String[] {"reviewer2", "reviewer"},
                        new String[] {"admin", "admin"})) {
            String password = randomPassword();
            lines.add(Users.line(u[0], Role.parse(u[1]), password.toCharArray(), 100_000));
            shown.add(String.format("  %-10s %-9s %s", u[0], u[1], password));
        }
        Files.write(usersFile, lines);
        return shown;
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
