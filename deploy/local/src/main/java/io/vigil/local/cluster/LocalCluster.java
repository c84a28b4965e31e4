package io.vigil.local.cluster;

import io.vigil.common.audit.AuditSettings;
import io.vigil.job.JobSettings;
import io.vigil.local.EmbeddedKafkaBroker;
import io.vigil.local.LocalStack;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil as it runs beyond one JVM, on one machine: three KRaft Kafka nodes (each broker and
 * controller), a Flink standalone session cluster (a JobManager with the REST API and web
 * submission, and TaskManagers), ingest from its shaded app jar and the console from its jar, each
 * a process of its own at an address of its own ({@link ClusterNetwork}). The job arrives as the
 * shaded job jar, uploaded and run through the REST API with the settings the Kubernetes manifests
 * use (RocksDB state, exactly-once, retained file checkpoints, parallelism 2).
 *
 * <p>Nothing is downloaded: Flink runs on its own jars from Maven Central ({@code
 * deploy/flink-dist}), the brokers on Kafka's server jars ({@link EmbeddedKafkaBroker#main}).
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    static final int KAFKA_PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final int REST_PORT = 8081;
    static final int BROKERS = 3;

    /**
     * The module openings Flink's distribution passes to every JVM ({@code
     * env.java.default-opts.all} in its config.yaml): the client code that runs the job's {@code
     * main()} on the JobManager reflects into java.util.
     */
    static final String FLINK_JVM_OPTS =
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
                    + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang=ALL-UNNAMED"
                    + " --add-opens=java.base/java.net=ALL-UNNAMED"
                    + " --add-opens=java.base/java.io=ALL-UNNAMED"
                    + " --add-opens=java.base/java.nio=ALL-UNNAMED"
                    + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
                    + " --add-opens=java.base/java.text=ALL-UNNAMED"
                    + " --add-opens=java.base/java.time=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

    private final Settings settings;
    private final Path repo;
    private final Path runDir;
    private final Map<String, ClusterProcess> processes = new LinkedHashMap<>();
    private ClusterNetwork network;
    private LocalStack stack;

    /**
     * Where and how big: {@code name} and {@code subnet} set the processes' addresses (see {@link
     * ClusterNetwork}), {@code settings} are Vigil settings over the cluster's defaults.
     */
    public record Settings(
            Path workDir,
            String name,
            int subnet,
            int taskManagers,
            int slotsPerTaskManager,
            int framePartitions,
            Map<String, String> settings) {
        public Settings {
            if (taskManagers < 1 || slotsPerTaskManager < 1 || framePartitions < 1) {
                throw new IllegalArgumentException(
                        "task managers, slots and frame partitions must be at least 1");
            }
            settings = Map.copyOf(settings);
        }

        /** Two TaskManagers of two slots, as the Kubernetes manifests run the job. */
        public static Settings defaults(Path workDir, String name, int subnet) {
            return new Settings(workDir, name, subnet, 2, 2, 4, Map.of());
        }

        public Settings with(Map<String, String> more) {
            Map<String, String> m = new LinkedHashMap<>(settings);
            m.putAll(more);
            return new Settings(
                    workDir, name, subnet, taskManagers, slotsPerTaskManager, framePartitions, m);
        }
    }

    private LocalCluster(Settings settings) {
        this.settings = settings;
        this.repo = repositoryRoot();
        this.runDir = settings.workDir().toAbsolutePath().resolve("run");
    }

    /** The hosts of a cluster with {@code taskManagers} TaskManagers. */
    public static List<String> hosts(int taskManagers) {
        List<String> h = new ArrayList<>();
        for (int i = 1; i <= BROKERS; i++) {
            h.add("kafka" + i);
        }
        h.add("jm");
        for (int i = 1; i <= taskManagers; i++) {
            h.add("tm" + i);
        }
        h.add("ingest");
        h.add("console");
        return h;
    }

    /**
     * Starts the network, the brokers (topics replicated three ways, two in sync), the JobManager
     * and the TaskManagers; returns when every TaskManager has registered.
     */
    public static LocalCluster start(Settings settings) throws Exception {
        LocalCluster c = new LocalCluster(settings);
        try {
            c.startAll();
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        checkBuilt();
        Files.createDirectories(runDir);
        network =
                ClusterNetwork.create(
                        settings.name(), settings.subnet(), hosts(settings.taskManagers()));
        String voters =
                String.join(
                        ",",
                        Stream.of(1, 2, 3)
                                .map(
                                        i ->
                                                i
                                                        + "@"
                                                        + network.address("kafka" + i)
                                                        + ":"
                                                        + CONTROLLER_PORT)
                                .toList());
        String clusterId = Uuid.randomUuid().toString();
        Path brokerClasspath = repo.resolve("deploy/local/target/classpath.txt");
        for (int i = 1; i <= BROKERS; i++) {
            String host = "kafka" + i;
            List<String> cmd = new ArrayList<>(java("512m"));
            cmd.addAll(
                    List.of(
                            "-cp",
                            repo.resolve("deploy/local/target/classes")
                                    + ":"
                                    + Files.readString(brokerClasspath).strip(),
                            EmbeddedKafkaBroker.class.getName(),
                            "node",
                            settings.workDir().toAbsolutePath().resolve(host).toString(),
                            String.valueOf(i),
                            network.address(host),
                            String.valueOf(KAFKA_PORT),
                            String.valueOf(CONTROLLER_PORT),
                            voters,
                            clusterId));
            add(host, cmd).start();
        }
        for (int i = 1; i <= BROKERS; i++) {
            String host = "kafka" + i;
            await(() -> accepts(network.address(host), KAFKA_PORT), Duration.ofSeconds(120), host);
        }
        awaitBrokers(BROKERS, Duration.ofSeconds(60));
        stack =
                LocalStack.onKafka(
                        bootstrapServers(),
                        settings.workDir().toAbsolutePath(),
                        vigilSettings(),
                        settings.framePartitions(),
                        (short) BROKERS);
        LOG.info("Kafka: {} nodes at {}", BROKERS, bootstrapServers());

        Path conf = writeFlinkConf();
        add(
                        "jm",
                        flink(
                                "jm",
                                conf,
                                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                                "GET_JM_RESOURCE_PARAMS"))
                .start();
        for (int i = 1; i <= settings.taskManagers(); i++) {
            add(
                            "tm" + i,
                            flink(
                                    "tm" + i,
                                    conf,
                                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                                    "GET_TM_RESOURCE_PARAMS"))
                    .start();
        }
        FlinkRest rest = rest();
        await(
                () -> rest.taskManagers() == settings.taskManagers(),
                Duration.ofSeconds(120),
                settings.taskManagers() + " TaskManagers registered at " + restAddress());
        LOG.info(
                "Flink: JobManager at http://{}, {} TaskManagers; up in {} s",
                restAddress(),
                settings.taskManagers(),
                (System.nanoTime() - t0) / 1_000_000_000);
    }

    /** Vigil's settings for every component, as the Kubernetes ConfigMap gives them. */
    private Map<String, String> vigilSettings() {
        Path work = settings.workDir().toAbsolutePath();
        Map<String, String> s = new LinkedHashMap<>();
        s.put(ModelSettings.ASSETS_DIR, AssetPaths.root().toAbsolutePath().toString());
        s.put(WatchlistSettings.WATCHLIST_INDEX_DIR, work.resolve("watchlist-index").toString());
        s.put(JobSettings.CHECKPOINT_DIR, work.resolve("checkpoints").toUri().toString());
        s.put(JobSettings.CHECKPOINT_INTERVAL_MS, "1000");
        s.put(JobSettings.STATE_BACKEND, "rocksdb");
        s.put(JobSettings.DELIVERY_GUARANTEE, "exactly-once");
        s.put(JobSettings.PARALLELISM, "2");
        s.put(JobSettings.CHECKPOINT_RETAIN_ON_CANCEL, "true");
        s.put(AuditSettings.SIGNING_KEY_FILE, LocalStack.auditKey(work).toString());
        s.putAll(settings.settings());
        return s;
    }

    /** The settings file every process of the cluster reads ({@code vigil.properties}). */
    public Path writeSettings(Map<String, String> more) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(stack.config().originals());
        all.putAll(more);
        Properties p = new Properties();
        all.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        Path f = runDir.resolve("vigil-" + Integer.toHexString(all.hashCode()) + ".properties");
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, "Vigil settings of the local cluster");
        }
        return f;
    }

    private Path writeFlinkConf() throws IOException {
        Path conf = runDir.resolve("flink-conf");
        Files.createDirectories(conf);
        String jm = network.address("jm");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", jm);
        c.put("jobmanager.rpc.port", "6123");
        c.put("jobmanager.bind-host", jm);
        c.put("rest.address", jm);
        c.put("rest.bind-address", jm);
        c.put("rest.port", String.valueOf(REST_PORT));
        c.put("blob.server.port", "6124");
        c.put("jobmanager.memory.process.size", "1200m");
        c.put("taskmanager.memory.process.size", "2600m");
        // RocksDB's share; the rest of the heap holds decoded frames and models.
        c.put("taskmanager.memory.managed.fraction", "0.15");
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(settings.slotsPerTaskManager()));
        // A TaskManager that stops answering is declared lost after 10 s instead of 50 s.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "10000");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "1000");
        c.put("restart-strategy.fixed-delay.delay", "2 s");
        c.put("web.upload.dir", runDir.resolve("jars").toString());
        c.put("web.submit.enable", "true");
        c.put("execution.checkpointing.num-retained", "3");
        c.put("env.java.default-opts.all", FLINK_JVM_OPTS);
        // A job's slots on different TaskManagers, so losing one costs part of the job.
        c.put("taskmanager.load-balance.mode", "SLOTS");
        StringBuilder yaml =
                new StringBuilder(
                        "# Written by LocalCluster; the Kubernetes manifests set the same keys.\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.main.ref = Main",
                        "appender.main.name = Main",
                        "appender.main.type = Console",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        ""));
        return conf;
    }

    /** A Flink process command: JVM sizes from Flink's own BashJavaUtils, as its scripts do. */
    private List<String> flink(String host, Path conf, String main, String resources)
            throws IOException, InterruptedException {
        String classpath = Files.readString(flinkClasspath()).strip();
        List<String> params = bashJavaUtils(classpath, conf, resources);
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(List.of(params.get(0).split(" ")));
        cmd.addAll(List.of(FLINK_JVM_OPTS.split(" ")));
        cmd.add("-Xss16m");
        cmd.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
        cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil");
        cmd.add("-Djava.io.tmpdir=" + tmpDir(host));
        cmd.addAll(List.of("-cp", classpath, main, "--configDir", conf.toString()));
        cmd.addAll(List.of(params.get(1).split(" ")));
        String address = network.address(host);
        if (host.startsWith("tm")) {
            cmd.addAll(List.of("-D", "taskmanager.host=" + address));
            cmd.addAll(List.of("-D", "taskmanager.bind-host=" + address));
            cmd.addAll(List.of("-D", "taskmanager.resource-id=" + host));
        }
        cmd.addAll(List.of("-D", "io.tmp.dirs=" + tmpDir(host)));
        return cmd;
    }

    private String tmpDir(String host) throws IOException {
        Path t = runDir.resolve("tmp").resolve(host);
        Files.createDirectories(t);
        return t.toString();
    }

    private static List<String> bashJavaUtils(String classpath, Path conf, String command)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                javaBinary(),
                                "-cp",
                                classpath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                command,
                                "--configDir",
                                conf.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> results =
                out.lines()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip())
                        .toList();
        if (results.size() != 2) {
            throw new IllegalStateException("Flink's BashJavaUtils " + command + " failed: " + out);
        }
        return results;
    }

    private List<String> java(String heap) {
        return List.of(
                javaBinary(),
                "-Xmx" + heap,
                "-Djava.awt.headless=true",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private ClusterProcess add(String host, List<String> command) {
        ClusterProcess p = new ClusterProcess(host, network.command(host, command), runDir);
        processes.put(host, p);
        return p;
    }

    /**
     * Uploads the shaded job jar (once) and runs it with {@code settingsFile}; restored from {@code
     * savepoint} when not null. Returns the job id once every task runs.
     */
    public String submitJob(Path settingsFile, String savepoint) throws Exception {
        return submitJob(jobJar(), settingsFile, savepoint);
    }

    /** As {@link #submitJob(Path, String)} with another build of the job jar (an upgrade). */
    public String submitJob(Path jar, Path settingsFile, String savepoint) throws Exception {
        FlinkRest rest = rest();
        // Uploaded each time: a restarted JobManager (no HA) has forgotten earlier uploads.
        String jarId = rest.uploadJar(jar);
        String job =
                rest.run(
                        jarId,
                        List.of(settingsFile.toString()),
                        stack.config().parallelism(),
                        savepoint);
        await(
                () -> {
                    try {
                        return rest.allTasksRunning(job);
                    } catch (IOException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(120),
                "job " + job + " running all its tasks");
        return job;
    }

    /** Starts ingest from its shaded app jar with {@code settingsFile}. */
    public ClusterProcess startIngest(Path settingsFile) {
        List<String> cmd = new ArrayList<>(java("1g"));
        cmd.addAll(List.of("-jar", ingestJar().toString(), settingsFile.toString()));
        return add("ingest", cmd).start();
    }

    /** Starts the console from its shaded app jar with {@code settingsFile}. */
    public ClusterProcess startConsole(Path settingsFile) {
        List<String> cmd = new ArrayList<>(java("1g"));
        cmd.addAll(List.of("-jar", consoleJar().toString(), "serve", settingsFile.toString()));
        return add("console", cmd).start();
    }

    public LocalStack stack() {
        return stack;
    }

    public ClusterNetwork network() {
        return network;
    }

    public String bootstrapServers() {
        List<String> b = new ArrayList<>();
        for (int i = 1; i <= BROKERS; i++) {
            b.add(network.address("kafka" + i) + ":" + KAFKA_PORT);
        }
        return String.join(",", b);
    }

    public String restAddress() {
        return network.address("jm") + ":" + REST_PORT;
    }

    public FlinkRest rest() {
        return new FlinkRest(restAddress());
    }

    /** A process by host name (kafka1..3, jm, tm1.., ingest, console). */
    public ClusterProcess process(String host) {
        ClusterProcess p = processes.get(host);
        if (p == null) {
            throw new IllegalArgumentException("no process " + host);
        }
        return p;
    }

    /** The node id (1..3) that leads {@code topic}'s {@code partition}. */
    public int leaderOf(String topic, int partition) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .get(partition)
                    .leader()
                    .id();
        }
    }

    /** How many partitions {@code topic} has. */
    public int partitions(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
        }
    }

    /** Waits until every replica of every topic is in sync again (after a broker restart). */
    public void awaitInSync(Duration max) throws Exception {
        await(
                () -> {
                    try (Admin admin = admin()) {
                        var names = admin.listTopics().names().get();
                        return admin.describeTopics(names).allTopicNames().get().values().stream()
                                .flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.isr().size() == p.replicas().size());
                    } catch (Exception e) {
                        return false;
                    }
                },
                max,
                "every replica in sync");
    }

    /** Waits until {@code count} brokers are registered and answer. */
    public void awaitBrokers(int count, Duration max) throws Exception {
        await(
                () -> {
                    try (Admin admin = admin()) {
                        return admin.describeCluster().nodes().get().size() == count;
                    } catch (Exception e) {
                        return false;
                    }
                },
                max,
                count + " Kafka brokers");
    }

    /** Waits until the broker on {@code host} accepts connections again. */
    public void awaitAccepting(String host, Duration max) throws Exception {
        await(() -> accepts(network.address(host), KAFKA_PORT), max, host + " accepting");
    }

    private Admin admin() {
        return Admin.create(
                Map.<String, Object>of(
                        "bootstrap.servers",
                        bootstrapServers(),
                        "request.timeout.ms",
                        5000,
                        "default.api.timeout.ms",
                        8000));
    }

    private void checkBuilt() {
        for (Path p :
                List.of(
                        flinkClasspath(),
                        jobJar(),
                        ingestJar(),
                        consoleJar(),
                        repo.resolve("deploy/local/target/classpath.txt"))) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: build first (mvn install)");
            }
        }
    }

    private Path flinkClasspath() {
        return repo.resolve("deploy/flink-dist/target/flink-classpath.txt");
    }

    public Path jobJar() {
        return repo.resolve("processing/job/target/vigil-job-" + version() + "-job.jar");
    }

    private Path ingestJar() {
        return repo.resolve("ingest/target/vigil-ingest-" + version() + "-app.jar");
    }

    private Path consoleJar() {
        return repo.resolve("console/target/vigil-console-" + version() + "-app.jar");
    }

    private static String version() {
        return "0.1.0-SNAPSHOT";
    }

    /** The checkout this runs from: the nearest folder up that holds {@code deploy/flink-dist}. */
    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("deploy/flink-dist"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "not inside a Vigil checkout: " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code condition} every 200 ms until it holds; fails naming {@code what}. */
    public static void await(BooleanSupplier condition, Duration max, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + max + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Stops every process (SIGTERM, then SIGKILL), then removes the network. */
    @Override
    public void close() {
        List<ClusterProcess> all = new ArrayList<>(processes.values());
        java.util.Collections.reverse(all);
        for (ClusterProcess p : all) {
            p.stop(Duration.ofSeconds(p.name().startsWith("kafka") ? 20 : 10));
        }
        if (network != null) {
            network.close();
        }
    }
}
