package io.vigil.local;

import picocli.CommandLine;

/**
 * Parses the arguments of a local entry point (demo, soak, eval, benchmarks) with picocli, as the
 * {@code vigil} tools do: generated help, and an error naming the bad argument.
 */
public final class LocalCommandLine {
    private LocalCommandLine() {}

    /**
     * Fills {@code options} (a picocli-annotated object) from {@code args}; prints the usage and
     * exits on {@code --help} (0) or a bad argument (2).
     */
    public static <T> T parseOrExit(T options, String[] args) {
        CommandLine cl = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("error: " + e.getMessage());
            cl.usage(System.err);
            System.exit(CommandLine.ExitCode.USAGE);
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(System.out);
            System.exit(CommandLine.ExitCode.OK);
        }
        return options;
    }

    /** Fills {@code options} from {@code args}, throwing on a bad argument (for tests). */
    public static <T> T parse(T options, String... args) {
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options;
    }
}
