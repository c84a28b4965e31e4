package io.vigil.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: streams this shard's cameras to the frames topic and their health to the
 * camera-status topic until stopped (SIGTERM in a container) or, with {@code
 * vigil.ingest.max.frames}, until every camera has sent that many frames.
 *
 * <pre>IngestMain [config.properties]    (VIGIL_* environment variables override the file)</pre>
 */
public final class IngestMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);

    private final IngestConfig config;
    private final List<CameraProducer> cameras = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private KafkaFramePublisher frames;
    private KafkaStatusPublisher statuses;
    private CameraStatusReporter reporter;
    private final AtomicBoolean closed = new AtomicBoolean();

    public IngestMain(IngestConfig config) {
        this.config = config;
    }

    /** Starts every camera of this shard; returns at once. */
    public List<CameraProducer> start() {
        List<CameraSpec> mine = config.myCameras();
        LOG.info(
                "shard {}/{}: {} of {} cameras",
                config.shardIndex(),
                config.shardCount(),
                mine.size(),
                config.allCameras().size());
        frames =
                new KafkaFramePublisher(
                        config.bootstrapServers(),
                        config.framesTopic(),
                        config.kafkaClient(),
                        config.overflow(),
                        config.queueFrames());
        statuses =
                new KafkaStatusPublisher(
                        config.bootstrapServers(),
                        config.cameraStatusTopic(),
                        config.kafkaClient());
        for (CameraSpec spec : mine) {
            cameras.add(new CameraProducer(spec, frames));
        }
        reporter =
                new CameraStatusReporter(
                        cameras,
                        statuses,
                        frames::dropped,
                        Duration.ofMillis(config.statusIntervalMs()));
        for (CameraProducer c : cameras) {
            Thread t = new Thread(c, "camera-" + c.spec().cameraId());
            t.start();
            threads.add(t);
        }
        return List.copyOf(cameras);
    }

    /** Waits until every camera has stopped. */
    public void awaitCameras() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // main's own close and the shutdown hook may both get here
        }
        cameras.forEach(CameraProducer::stop);
        try {
            awaitCameras();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reporter != null) {
            reporter.close();
        }
        if (frames != null) {
            frames.close();
        }
        if (statuses != null) {
            statuses.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        IngestConfig config =
                IngestConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        IngestMain ingest = new IngestMain(config);
        Runtime.getRuntime().addShutdownHook(new Thread(ingest::close, "ingest-shutdown"));
        ingest.start();
        ingest.awaitCameras();
        ingest.close();
    }
}
