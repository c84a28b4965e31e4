package io.vigil.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Kafka broker in its own JVM ({@link EmbeddedKafkaBroker#main}) on fixed ports, so a test
 * can crash it (SIGKILL) and start it again on the same data, as a server restart would.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dataDir;
    private final int brokerPort = EmbeddedKafkaBroker.freePort();
    private final int controllerPort = EmbeddedKafkaBroker.freePort();
    private Process process;

    private BrokerProcess(Path dataDir) {
        this.dataDir = dataDir;
    }

    static BrokerProcess start(Path dataDir) throws Exception {
        BrokerProcess b = new BrokerProcess(dataDir);
        b.launch();
        return b;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Kills the broker process outright, without a clean shutdown. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        process = null;
    }

    /** Starts it again on the same ports and data; returns once it accepts connections. */
    void restart() throws Exception {
        launch();
    }

    private void launch() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process =
                new ProcessBuilder(
                                List.of(
                                        java.toString(),
                                        "-Xmx512m",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        EmbeddedKafkaBroker.class.getName(),
                                        dataDir.toString(),
                                        String.valueOf(brokerPort),
                                        String.valueOf(controllerPort)))
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolveSibling("kafka-process.log").toFile())
                        .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Kafka process did not come up; see "
                                + dataDir.resolveSibling("kafka-process.log"));
            }
            Thread.sleep(100);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }
}
