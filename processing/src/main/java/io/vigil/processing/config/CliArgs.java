package io.vigil.processing.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's command line: global settings ({@code --config}, {@code --set key=value}, {@code
 * --index-dir}), the command, its positional arguments and its {@code --name value} options.
 */
public final class CliArgs {
    public Path configFile;
    public final Map<String, String> settings = new HashMap<>();
    public String command;
    public final List<String> positional = new ArrayList<>();
    public final Map<String, String> options = new HashMap<>();

    /**
     * For a tool's {@code run}: prints the usage and returns the exit code (2 with no arguments, 0
     * for help) when {@code argv} asks for it, else -1 and the tool goes on.
     */
    public static int usageExit(String[] argv, String usage, java.io.PrintStream out) {
        if (argv.length == 0 || List.of("help", "--help", "-h").contains(argv[0])) {
            out.println(usage);
            return argv.length == 0 ? 2 : 0;
        }
        return -1;
    }

    public static CliArgs parse(String[] argv) {
        CliArgs a = new CliArgs();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.startsWith("--")) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = argv[++i];
                switch (arg) {
                    case "--config" -> a.configFile = Path.of(value);
                    case "--index-dir" -> a.settings.put(PipelineConfig.WATCHLIST_INDEX_DIR, value);
                    case "--set" -> {
                        int eq = value.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException(
                                    "--set needs key=value, got " + value);
                        }
                        a.settings.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    default -> a.options.put(arg.substring(2), value);
                }
            } else if (a.command == null) {
                a.command = arg;
            } else {
                a.positional.add(arg);
            }
        }
        if (a.command == null) {
            throw new IllegalArgumentException("no command given");
        }
        return a;
    }

    public String positional(int i, String name) {
        if (i >= positional.size()) {
            throw new IllegalArgumentException(command + " needs " + name);
        }
        return positional.get(i);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public String required(String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(command + " needs --" + name);
        }
        return v;
    }

    /** Who is asking; read-only commands default to the OS user. */
    public String actor() {
        return options.getOrDefault("by", System.getProperty("user.name"));
    }
}
