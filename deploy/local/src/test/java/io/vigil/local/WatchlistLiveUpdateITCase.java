package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.JobSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watchlist changes reach a running job without a restart: a person enrolled while the job runs
 * raises an alert from the next frames on, and stops matching as soon as they are removed. Real
 * broker, MiniCluster at parallelism 2, real models and video.
 */
class WatchlistLiveUpdateITCase {
    static final String CAMERA = "cam-live";
    static final int BATCH = 10;

    @Test
    void enrolmentAndRemovalApplyToTheRunningJob(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(JobSettings.PARALLELISM, "2"), 2)) {
            stack.registerCameras(CAMERA);
            Path photos = DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos"));
            Path franck = Files.createDirectories(work.resolve("later")).resolve("demo-franck");
            Files.move(photos.resolve("demo-franck"), franck);
            stack.enroll(
                    photos,
                    "it-test",
                    "TEST-CASE-2",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);

            List<Frame> frames = SampleFrames.of(CAMERA, "franck.mp4", 3 * BATCH);
            JobClient job = stack.submitJob(false);
            List<Alert> alerts = new ArrayList<>();
            try (KafkaFramePublisher publisher =
                            new KafkaFramePublisher(
                                    stack.bootstrapServers(),
                                    stack.config().framesTopic(),
                                    new Properties());
                    AvroTopicReader<Alert> reader =
                            new AvroTopicReader<>(
                                    stack.bootstrapServers(),
                                    stack.config().alertsTopic(),
                                    Alert.getDecoder())) {
                publishAndAwait(publisher, frames.subList(0, BATCH), job, BATCH, reader, alerts);
                assertThat(alerts).as("before enrolment").isEmpty();

                assertThat(
                                stack.enroll(
                                        franck.getParent(),
                                        "it-test",
                                        "TEST-CASE-2",
                                        Instant.now().plus(Duration.ofDays(1)),
                                        LocalStack.TEST_PURPOSES))
                        .singleElement()
                        .satisfies(r -> assertThat(r.indexedFaces()).isPositive());
                publishAndAwait(
                        publisher,
                        frames.subList(BATCH, 2 * BATCH),
                        job,
                        2 * BATCH,
                        reader,
                        alerts);
                assertThat(alerts)
                        .as("after enrolment")
                        .isNotEmpty()
                        .allSatisfy(
                                a -> {
                                    assertThat(a.getExternalId()).isEqualTo("demo-franck");
                                    assertThat(a.getFrameSequence())
                                            .isBetween((long) BATCH, 2L * BATCH - 1);
                                });
                assertThat(alerts.stream().filter(a -> a.getRevision() == 0))
                        .as("one alert for the pass, not one per frame")
                        .hasSize(1);
                int afterEnrolment = alerts.size();

                assertThat(
                                stack.remove(
                                        "demo-franck",
                                        "it-test",
                                        "test: removal must apply at once"))
                        .isPositive();
                publishAndAwait(
                        publisher,
                        frames.subList(2 * BATCH, 3 * BATCH),
                        job,
                        3 * BATCH,
                        reader,
                        alerts);
                assertThat(alerts).as("after removal").hasSize(afterEnrolment);
            }
        }
    }

    /**
     * Publishes frames and waits until the job has analysed {@code analyzedTotal} frames in all.
     */
    private static void publishAndAwait(
            KafkaFramePublisher publisher,
            List<Frame> batch,
            JobClient job,
            long analyzedTotal,
            AvroTopicReader<Alert> reader,
            List<Alert> alerts)
            throws Exception {
        for (Frame f : batch) {
            publisher.publish(Frame.newBuilder(f).setCaptureTimestamp(Instant.now()).build());
        }
        publisher.flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (LocalStack.counter(
                        job.getAccumulators().get(), FaceEmbeddingFunction.FRAMES_ANALYZED)
                < analyzedTotal) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "job did not analyse " + analyzedTotal + " frames in time");
            }
            reader.poll(Duration.ofMillis(500), d -> alerts.add(d.value()));
        }
        // Accumulators lag the operator slightly; the alert sink may also still be flushing.
        reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(30))
                .forEach(d -> alerts.add(d.value()));
    }
}
