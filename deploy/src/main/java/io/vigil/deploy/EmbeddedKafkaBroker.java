package io.vigil.deploy;

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
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats {@code dataDir} and starts the broker. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(dataDir, freePort(), freePort());
        b.formatAndStart();
        return b;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
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
                            new String[] {
                                "format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()
                            },
                            new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException(
                        "kafka-storage format failed ("
                                + rc
                                + "): "
                                + log.toString(StandardCharsets.UTF_8));
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "2");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", String.valueOf(10 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
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
