package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameDecodeFunction;
import io.vigil.job.JobSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera's authorization is enforced on the running job. While its window lasts, the enrolled
 * person raises an alert, but only on a camera authorized for a purpose the person was enrolled
 * for: the same face on a camera authorized for another purpose is never matched. From the moment
 * the window ends, the camera's frames are dead-lettered without their images, nothing is matched,
 * and the lapse is audited. Real broker, MiniCluster at parallelism 2, real models and video.
 */
class CameraAuthorizationITCase {
    static final String CAMERA = "cam-window";
    static final String OTHER_PURPOSE = "cam-traffic";
    static final int BATCH = 8;

    @Test
    void aCameraStopsBeingMatchedWhenItsAuthorizationEnds(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(JobSettings.PARALLELISM, "2"), 2)) {
            Instant until = Instant.now().plusSeconds(40).truncatedTo(ChronoUnit.MILLIS);
            stack.registerCameras(
                    List.of(
                            registration(CAMERA, until, LocalStack.TEST_PURPOSES),
                            registration(
                                    OTHER_PURPOSE,
                                    Instant.now().plus(Duration.ofDays(1)),
                                    List.of("traffic enforcement"))));
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-3",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            List<Frame> frames = SampleFrames.of(CAMERA, "franck.mp4", 2 * BATCH);
            List<Frame> otherPurpose = SampleFrames.of(OTHER_PURPOSE, "franck.mp4", BATCH);
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
                publish(publisher, frames.subList(0, BATCH));
                publish(publisher, otherPurpose);
                await(job, FaceEmbeddingFunction.FRAMES_ANALYZED, 2 * BATCH);
                assertThat(Instant.now())
                        .as("the first frames were analysed inside the window")
                        .isBefore(until);
                reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(30))
                        .forEach(d -> alerts.add(d.value()));
                assertThat(alerts)
                        .as("inside the window, on the camera authorized for the entry's purpose")
                        .isNotEmpty()
                        .allSatisfy(
                                a -> {
                                    assertThat(a.getExternalId()).isEqualTo("demo-franck");
                                    assertThat(a.getCameraId()).isEqualTo(CAMERA);
                                });
                int inside = alerts.size();

                Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis() + 500));
                publish(publisher, frames.subList(BATCH, 2 * BATCH));
                await(job, FrameDecodeFunction.FRAMES_DEAD_LETTERED, BATCH);
                reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(30))
                        .forEach(d -> alerts.add(d.value()));
                assertThat(alerts.subList(inside, alerts.size()))
                        .as("nothing captured after the window supports an alert")
                        .allSatisfy(a -> assertThat(a.getLastSeen()).isBefore(until));
                assertThat(
                                LocalStack.counter(
                                        job.getAccumulators().get(),
                                        FaceEmbeddingFunction.FRAMES_ANALYZED))
                        .as("no frame after the window reached the embedder")
                        .isEqualTo(2 * BATCH);
            }
            try (AvroTopicReader<DeadLetter> dead =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            stack.config().deadLetterTopic(),
                            DeadLetter.getDecoder())) {
                List<DeadLetter> letters =
                        dead.drain(Duration.ofSeconds(3), Duration.ofSeconds(30)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .toList();
                assertThat(letters)
                        .hasSize(BATCH)
                        .allSatisfy(
                                d -> {
                                    assertThat(d.getReason())
                                            .isEqualTo(DeadLetterReason.CAMERA_NOT_AUTHORIZED);
                                    assertThat(d.getOriginalValue()).as("no image kept").isNull();
                                });
            }
            try (AvroTopicReader<AuditEvent> audit =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            stack.config().auditTopic(),
                            AuditEvent.getDecoder())) {
                List<AuditEvent> events =
                        audit.drain(Duration.ofSeconds(3), Duration.ofSeconds(30)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .filter(e -> CAMERA.equals(e.getCameraId()))
                                .toList();
                assertThat(events)
                        .filteredOn(e -> e.getType() == AuditEventType.CAMERA_REGISTERED)
                        .singleElement()
                        .satisfies(
                                e ->
                                        assertThat(e.getDetails())
                                                .containsEntry(
                                                        "authorizedUntil", until.toString()));
                assertThat(events)
                        .filteredOn(e -> e.getType() == AuditEventType.CAMERA_OUTSIDE_AUTHORIZATION)
                        .as("each subtask that refused a frame audits the lapse once")
                        .hasSizeBetween(1, 2)
                        .extracting(AuditEvent::getEventId)
                        .containsOnly(
                                events.stream()
                                        .filter(
                                                e ->
                                                        e.getType()
                                                                == AuditEventType
                                                                        .CAMERA_OUTSIDE_AUTHORIZATION)
                                        .findFirst()
                                        .orElseThrow()
                                        .getEventId());
            }
            // The transparency report of the run counts the alert and names no one.
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            stack.config().originals().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            Path report = work.resolve("report");
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            assertThat(
                            io.vigil.tools.Vigil.run(
                                    new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                                    new java.io.PrintStream(err, true),
                                    "report",
                                    "transparency",
                                    "--config",
                                    config.toString(),
                                    "--from",
                                    "2026-01-01",
                                    "--by",
                                    "oversight-board",
                                    "--out",
                                    report.toString()))
                    .as(err.toString())
                    .isZero();
            String json = java.nio.file.Files.readString(report.resolve("transparency.json"));
            assertThat(json)
                    .contains("\"cameraId\" : \"" + CAMERA + "\"")
                    .contains("\"testing\" : 5")
                    .containsPattern("\"cameraId\" : \"" + CAMERA + "\",\\s*\"raised\" : 1")
                    .doesNotContain("demo-franck");
            assertThat(java.nio.file.Files.readString(report.resolve("transparency.html")))
                    .contains(CAMERA)
                    .doesNotContain("demo-franck");
        }
    }

    private static CameraRegistration registration(
            String camera, Instant until, List<String> purposes) {
        Instant now = Instant.now();
        return CameraRegistration.newBuilder()
                .setCameraId(camera)
                .setName(camera)
                .setLocation("local")
                .setOwner("integration test")
                .setAuthorizationRef("TEST-ORDER-" + camera)
                .setPurposes(purposes)
                .setAuthorizedFrom(now.minusSeconds(60))
                .setAuthorizedUntil(until)
                .setStatus(CameraRegistrationStatus.ACTIVE)
                .setUpdatedBy("it-test")
                .setUpdatedAt(now)
                .setReason("a short authorization")
                .build();
    }

    private static void publish(KafkaFramePublisher publisher, List<Frame> frames) {
        for (Frame f : frames) {
            publisher.publish(Frame.newBuilder(f).setCaptureTimestamp(Instant.now()).build());
        }
        publisher.flush();
    }

    private static void await(JobClient job, String accumulator, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (LocalStack.counter(job.getAccumulators().get(), accumulator) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(accumulator + " did not reach " + count + " in time");
            }
            Thread.sleep(200);
        }
    }
}
