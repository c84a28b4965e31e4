package io.vigil.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.config.ConfigException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line: watchlist, cameras, audit and models. Exit status 0 on success, 1
 * when the thing asked for does not exist or failed a check, 2 on a bad request or setting.
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = Vigil.Version.class,
        description = "Vigil's operator tools. Every change is audited.",
        subcommands = {
            WatchlistCommand.class,
            EraseCommand.class,
            GalleryCommand.class,
            SearchCommand.class,
            CamerasCommand.class,
            AuditCommand.class,
            ReportCommand.class,
            ModelsCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class Vigil {
    /** Exit status of a bad request or setting, as picocli's usage errors. */
    static final int BAD_REQUEST = CommandLine.ExitCode.USAGE;

    private Vigil() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** The command line's model: its commands, options and parser settings. */
    public static CommandLine commandLine() {
        return new CommandLine(new Vigil()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Runs a command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        return commandLine()
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(errWriter)
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            if (e instanceof IllegalArgumentException
                                    || e instanceof IllegalStateException
                                    || e instanceof ConfigException
                                    || e instanceof java.io.IOException
                                    || e instanceof UncheckedIOException) {
                                errWriter.println("error: " + e.getMessage());
                                return BAD_REQUEST;
                            }
                            throw e;
                        })
                .execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vigil.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "(development build)" : v)};
        }
    }
}
