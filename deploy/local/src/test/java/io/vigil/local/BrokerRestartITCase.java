package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.GatingSettings;
import io.vigil.job.JobSettings;
import io.vigil.job.track.AlertSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection with real parts: the Kafka broker process is killed (SIGKILL) while a camera
 * streams and started again on the same ports and data. The camera's publisher queues and retries;
 * the job fails over and resumes from its checkpoint (RocksDB state backend). Every frame Kafka
 * acknowledged supports the alert: no frame lost between Kafka and the alert, none counted twice.
 */
class BrokerRestartITCase {
    static final String CAMERA = "cam-franck";
    static final int FRAMES = 24;

    @Test
    void aBrokerOutageMidPassLosesNoFrameThatReachedKafka(@TempDir Path work) throws Exception {
        try (BrokerProcess kafka = BrokerProcess.start(work.resolve("kafka"));
                LocalStack stack =
                        LocalStack.onKafka(
                                kafka.bootstrapServers(),
                                work,
                                Map.of(
                                        JobSettings.PARALLELISM,
                                        "2",
                                        JobSettings.CHECKPOINT_INTERVAL_MS,
                                        "500",
                                        // The failover restores tracking state from RocksDB.
                                        JobSettings.STATE_BACKEND,
                                        "rocksdb",
                                        JobSettings.CHECKPOINT_DIR,
                                        work.resolve("checkpoints").toString(),
                                        AlertSettings.ALERT_SUPPRESSION_MS,
                                        "3000",
                                        // Longer than the outage plus the job's recovery.
                                        AlertSettings.ALERT_SILENT_CAMERA_MS,
                                        "30000",
                                        // Every face embedded: the alert's supporting frames
                                        // then count the frames, exactly.
                                        GatingSettings.REEMBED_INTERVAL_MS,
                                        "0"),
                                2)) {
            stack.registerCameras(CAMERA);
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-6",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            List<Frame> frames = SampleFrames.of(CAMERA, "franck.mp4", FRAMES);
            JobClient job = stack.submitJob(false);

            long outage;
            long delivered;
            long failed;
            try (KafkaFramePublisher publisher =
                    new KafkaFramePublisher(
                            stack.bootstrapServers(),
                            stack.config().framesTopic(),
                            new Properties())) {
                int third = FRAMES / 3;
                publishPaced(publisher, frames.subList(0, third));
                Thread.sleep(2000); // the job is working on the first frames
                long down = System.nanoTime();
                kafka.crash();
                publishPaced(publisher, frames.subList(third, 2 * third)); // buffered, retried
                Thread.sleep(3000);
                kafka.restart();
                outage = (System.nanoTime() - down) / 1_000_000;
                publishPaced(publisher, frames.subList(2 * third, FRAMES));
                publisher.flush();
                delivered = publisher.delivered();
                failed = publisher.failures() + publisher.dropped();
            }

            List<Alert> alerts = AlertsOnTopic.untilClosed(stack, 1);
            Alert closed = alerts.stream().filter(Alert::getClosed).findFirst().orElseThrow();
            long duplicates = AlertsOnTopic.duplicates(alerts);
            System.out.printf(
                    "fault test (broker killed, back after %d ms, mid-pass): frames delivered to"
                            + " Kafka %d, failed %d; alerts raised %d, revisions %d, duplicated %d;"
                            + " frames supporting the closed alert %d (lost %d)%n",
                    outage,
                    delivered,
                    failed,
                    alerts.stream().filter(a -> a.getRevision() == 0).count(),
                    alerts.size(),
                    duplicates,
                    closed.getSupportingFrames(),
                    delivered - closed.getSupportingFrames());
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
            assertThat(failed).isZero();
            assertThat(delivered).isEqualTo(FRAMES);
            assertThat(duplicates).isZero();
            assertThat(alerts.stream().filter(a -> a.getRevision() == 0)).hasSize(1);
            // Every frame of this stretch shows the enrolled person: each acknowledged frame
            // supports the alert exactly once.
            assertThat(closed.getSupportingFrames()).isEqualTo(FRAMES);
        }
    }

    /** At about the sampler's real-time pace, compressed 5x. */
    private static void publishPaced(KafkaFramePublisher publisher, List<Frame> frames)
            throws InterruptedException {
        for (Frame f : frames) {
            publisher.publish(f);
            Thread.sleep(100);
        }
    }
}
