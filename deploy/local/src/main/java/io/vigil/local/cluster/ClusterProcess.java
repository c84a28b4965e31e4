package io.vigil.local.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process of the local cluster (a broker, the JobManager, a TaskManager, ingest, the console),
 * started in its own session so it outlives the command that started it, with its output in a log
 * file and its pid in a file, so that {@code vigil cluster down} or a fault test can find it.
 */
public final class ClusterProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final Path pidFile;
    private final Path commandFile;
    private ProcessHandle handle;

    ClusterProcess(String name, List<String> command, Path runDir) {
        this.name = name;
        List<String> c = new ArrayList<>(List.of("setsid"));
        c.addAll(command);
        this.command = List.copyOf(c);
        this.log = runDir.resolve(name + ".log");
        this.pidFile = runDir.resolve(name + ".pid");
        this.commandFile = runDir.resolve(name + ".cmd");
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Starts the process (again, after a kill: same command, same data). */
    public ClusterProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                            .start();
            handle = p.toHandle();
            Files.writeString(pidFile, String.valueOf(p.pid()));
            // So that another command (vigil cluster start) can start it again the same way.
            Files.writeString(commandFile, String.join("\0", command.subList(1, command.size())));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public long pid() {
        return handle == null ? -1 : handle.pid();
    }

    public boolean isAlive() {
        return handle != null && handle.isAlive();
    }

    /** SIGKILL: the process dies at once, with no shutdown hook and nothing flushed. */
    public void kill() {
        if (handle != null) {
            handle.destroyForcibly();
            await(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}: a clean shutdown where the process allows one. */
    public void stop(Duration grace) {
        if (handle != null && handle.isAlive()) {
            handle.destroy();
            if (!await(grace)) {
                kill();
            }
        }
    }

    private boolean await(Duration max) {
        try {
            handle.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A process that an earlier command started, to start again as it was ({@code .cmd} file). */
    static ClusterProcess restartable(Path runDir, String name) throws IOException {
        Path f = runDir.resolve(name + ".cmd");
        if (!Files.exists(f)) {
            throw new IllegalArgumentException("no process " + name + " in " + runDir);
        }
        ClusterProcess p =
                new ClusterProcess(name, List.of(Files.readString(f).split("\0")), runDir);
        running(runDir, name).ifPresent(h -> p.handle = h);
        return p;
    }

    /** The process a pid file names, if it still runs (for a command other than the starter). */
    static Optional<ProcessHandle> running(Path runDir, String name) {
        Path f = runDir.resolve(name + ".pid");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(f).strip()))
                    .filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (stopped)");
    }
}
