package io.vigil.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) in this JVM, on loopback ports
 * chosen at start. The storage is formatted with Kafka's own StorageTool, exactly as an operator
 * would before the first start.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private String host = "127.0.0.1";
    private int nodeId = 1;
    private String voters;
    private String clusterId = Uuid.randomUuid().toString();
    private int replicas = 1;
    private int saslPort;
    private String saslJaasConfig;
    private KafkaRaftServer server;
    private java.util.Map<String, String> overrides = java.util.Map.of();

    private EmbeddedKafkaBroker(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /**
     * As {@link #start}, with a second listener that requires SASL/PLAIN authentication as {@code
     * user} / {@code password}: a secured cluster for testing Vigil's credential settings.
     */
    public static EmbeddedKafkaBroker startWithSaslUser(
            Path dataDir, String user, String password) {
        return startWithSasl(dataDir, java.util.Map.of(user, password), false);
    }

    /**
     * A broker whose SASL/PLAIN listener knows {@code users} (name to password) and whose access is
     * decided by Kafka's own {@code StandardAuthorizer}: with no ACL, nothing is allowed. The
     * plaintext listener (the test's administrator, the broker itself and its controller) acts as
     * the super user {@code ANONYMOUS}; components connect to {@link #saslBootstrapServers()}.
     */
    public static EmbeddedKafkaBroker startWithAuthorizer(
            Path dataDir, java.util.Map<String, String> users) {
        return startWithSasl(dataDir, users, true);
    }

    private static EmbeddedKafkaBroker startWithSasl(
            Path dataDir, java.util.Map<String, String> users, boolean authorizer) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(dataDir, freePort(), freePort());
        b.saslPort = freePort();
        StringBuilder jaas =
                new StringBuilder(
                        "org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach(
                (u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
        b.saslJaasConfig = jaas.append(';').toString();
        if (authorizer) {
            b.overrides =
                    java.util.Map.of(
                            "authorizer.class.name",
                            "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                            "super.users",
                            "User:ANONYMOUS",
                            "allow.everyone.if.no.acl.found",
                            "false");
        }
        b.formatAndStart();
        return b;
    }

    /** The SASL/PLAIN listener of {@link #startWithSaslUser}. */
    public String saslBootstrapServers() {
        if (saslPort == 0) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** Formats {@code dataDir} and starts the broker. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, java.util.Map.of());
    }

    /** As {@link #start(Path)}, with broker settings of a test's own over the defaults. */
    public static EmbeddedKafkaBroker start(Path dataDir, java.util.Map<String, String> settings) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(dataDir, freePort(), freePort());
        b.overrides = java.util.Map.copyOf(settings);
        b.formatAndStart();
        return b;
    }

    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    private void formatAndStart() {
        try {
            Files.createDirectories(dataDir);
            Properties props = serverProperties();
            Path file = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "Vigil embedded KRaft broker");
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc =
                    StorageTool.execute(
                            new String[] {"format", "-t", clusterId, "-c", file.toString()},
                            new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException(
                        "kafka-storage format failed ("
                                + rc
                                + "): "
                                + log.toString(StandardCharsets.UTF_8));
            }
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(serverProperties(), false), Time.SYSTEM);
        server.startup();
    }

    /**
     * Starts a broker on the given ports; formats {@code dataDir} only on its first start, so a
     * broker started again on the same directory recovers its log like a restarted server.
     */
    public static EmbeddedKafkaBroker startOn(Path dataDir, int brokerPort, int controllerPort) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(dataDir, brokerPort, controllerPort);
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            b.startServer();
        } else {
            b.formatAndStart();
        }
        return b;
    }

    /**
     * One node (broker and controller) of a replicated cluster: {@code voters} lists every
     * controller ({@code id@host:port,...}) and all nodes share {@code clusterId}. Internal topics
     * are replicated three ways and need two in-sync replicas, as on the Kubernetes cluster;
     * formats {@code dataDir} only on the node's first start.
     */
    public static EmbeddedKafkaBroker startNode(
            Path dataDir,
            int nodeId,
            String host,
            int brokerPort,
            int controllerPort,
            String voters,
            String clusterId) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(dataDir, brokerPort, controllerPort);
        b.nodeId = nodeId;
        b.host = host;
        b.voters = voters;
        b.clusterId = clusterId;
        b.replicas = 3;
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            b.startServer();
        } else {
            b.formatAndStart();
        }
        return b;
    }

    /**
     * The broker as its own process: {@code EmbeddedKafkaBroker DATA_DIR BROKER_PORT
     * CONTROLLER_PORT}, or one node of a cluster: {@code EmbeddedKafkaBroker node DATA_DIR NODE_ID
     * HOST BROKER_PORT CONTROLLER_PORT VOTERS CLUSTER_ID}. Prints a line with the bootstrap address
     * when it is up and runs until killed. Fault tests crash it and start it again.
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker b;
        if (args.length == 3) {
            b = startOn(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 8 && args[0].equals("node")) {
            b =
                    startNode(
                            Path.of(args[1]),
                            Integer.parseInt(args[2]),
                            args[3],
                            Integer.parseInt(args[4]),
                            Integer.parseInt(args[5]),
                            args[6],
                            args[7]);
        } else {
            System.err.println(
                    "usage: EmbeddedKafkaBroker DATA_DIR BROKER_PORT CONTROLLER_PORT\n"
                            + "       EmbeddedKafkaBroker node DATA_DIR NODE_ID HOST BROKER_PORT"
                            + " CONTROLLER_PORT VOTERS CLUSTER_ID");
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-shutdown"));
        System.out.println("KAFKA READY " + b.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put(
                "controller.quorum.voters",
                voters != null ? voters : nodeId + "@" + host + ":" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://"
                        + host
                        + ":"
                        + brokerPort
                        + ",CONTROLLER://"
                        + host
                        + ":"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        if (saslPort != 0) {
            p.put("listeners", p.getProperty("listeners") + ",SASL://127.0.0.1:" + saslPort);
            p.put(
                    "advertised.listeners",
                    p.getProperty("advertised.listeners") + ",SASL://127.0.0.1:" + saslPort);
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl.plain.sasl.jaas.config", saslJaasConfig);
        }
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "2");
        String rf = String.valueOf(replicas);
        String minIsr = String.valueOf(replicas > 1 ? replicas - 1 : 1);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        // Retention is checked every 30 s rather than 5 min, so the local stack's short-lived
        // frames are gone within their retention plus a segment plus this.
        p.put("log.retention.check.interval.ms", "30000");
        p.put("message.max.bytes", String.valueOf(10 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(10 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
        // One node has no other broker to hand its partitions to before shutting down; a cluster
        // node does, which is what makes a rolling restart lose nothing.
        p.put("controlled.shutdown.enable", String.valueOf(replicas > 1));
        p.putAll(overrides);
        return p;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
