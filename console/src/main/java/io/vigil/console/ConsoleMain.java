package io.vigil.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code vigil console serve [config.properties]} runs the console; {@code vigil console add-user
 * FILE NAME ROLE} appends an account, reading the password from the terminal or standard input.
 */
public final class ConsoleMain {
    static final String USAGE =
            """
            usage: vigil console serve [config.properties]     (VIGIL_* variables override)
                   vigil console add-user USERS_FILE NAME ROLE   role: analyst | reviewer | admin
            """;

    private ConsoleMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("serve")) {
            ConsoleConfig config;
            try {
                config =
                        ConsoleConfig.load(
                                args.length > 1 ? Path.of(args[1]) : null,
                                System.getenv(),
                                Map.of());
            } catch (ConfigException e) {
                System.err.println("error: " + e.getMessage());
                System.exit(2);
                return;
            }
            Console console = Console.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(console::close));
            Thread.currentThread().join();
        } else if (args.length == 4 && args[0].equals("add-user")) {
            try {
                addUser(args);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                System.exit(2);
            }
        } else {
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    private static void addUser(String[] args) throws IOException {
        char[] password = readPassword();
        String line = Users.line(args[2], Role.parse(args[3]), password, Users.DEFAULT_ITERATIONS);
        Path file = Path.of(args[1]);
        if (Files.exists(file) && Users.load(file).contains(args[2])) {
            throw new IllegalArgumentException(args[2] + " is already in " + file);
        }
        Files.write(
                file,
                List.of(line),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        System.out.println("added " + args[2] + " (" + args[3] + ") to " + file);
    }

    private static char[] readPassword() throws IOException {
        java.io.Console c = System.console();
        if (c != null) {
            return c.readPassword("password for the new account: ");
        }
        String line =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }
}
