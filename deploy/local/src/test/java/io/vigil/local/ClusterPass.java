package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.IngestConfig;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.FrameAccountingFunction;
import io.vigil.job.GatingSettings;
import io.vigil.job.track.AlertSettings;
import io.vigil.local.cluster.ClusterProcess;
import io.vigil.local.cluster.FlinkRest;
import io.vigil.local.cluster.LocalCluster;
import io.vigil.schemas.Alert;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One enrolled person's pass through the local multi-process cluster: the real demo video streamed
 * by the ingest process from its app jar, the shaded job jar submitted through the REST API, and
 * the counts a fault test reports once the pass is over: frames published, frames on the topic,
 * alerts raised, duplicated and closed, supporting frames and dead letters.
 */
final class ClusterPass implements AutoCloseable {
    static final String CAMERA = "cam-franck";

    final LocalCluster cluster;
    final Path settings;
    final int frames;
    String job;

    private ClusterPass(LocalCluster cluster, Path settings, int frames) {
        this.cluster = cluster;
        this.settings = settings;
        this.frames = frames;
    }

    /**
     * Starts a cluster, registers the camera, enrolls the demo watchlist and writes the settings of
     * a pass of {@code frames} frames at 2 fps.
     */
    static ClusterPass prepare(
            Path work, String name, int subnet, int frames, Map<String, String> more)
            throws Exception {
        Map<String, String> s = new HashMap<>();
        // Every face embedded: the closed alert's supporting frames then count the frames that
        // reached the tracker, once each.
        s.put(GatingSettings.REEMBED_INTERVAL_MS, "0");
        s.put(AlertSettings.ALERT_SUPPRESSION_MS, "5000");
        s.put(AlertSettings.ALERT_SILENT_CAMERA_MS, "5000");
        s.putAll(more);
        LocalCluster cluster =
                LocalCluster.start(
                        new LocalCluster.Settings(work, name, subnet, 2, 2, 4, Map.of()).with(s));
        try {
            cluster.stack().registerCameras(CAMERA);
            cluster.stack()
                    .enroll(
                            DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                            "it-test",
                            "TEST-CLUSTER",
                            Instant.now().plus(Duration.ofDays(1)),
                            LocalStack.TEST_PURPOSES);
            Path cameras = work.resolve("cameras.txt");
            Files.writeString(cameras, CAMERA + " " + AssetPaths.media("franck.mp4") + "\n");
            Path file =
                    cluster.writeSettings(
                            Map.of(
                                    IngestConfig.CAMERAS_FILE,
                                    cameras.toString(),
                                    IngestConfig.FPS,
                                    "2",
                                    IngestConfig.MAX_FRAMES,
                                    String.valueOf(frames),
                                    IngestConfig.STATUS_INTERVAL_MS,
                                    "2000"));
            return new ClusterPass(cluster, file, frames);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Submits the job jar and starts ingest; returns the job id. */
    String start() throws Exception {
        job = cluster.submitJob(settings, null);
        cluster.startIngest(settings);
        return job;
    }

    FlinkRest rest() {
        return cluster.rest();
    }

    /**
     * Frames the job has accounted for at the detector, exactly once through its restarts (the
     * counts are checkpointed and restored; 0 while it restarts).
     */
    long accounted() {
        try {
            Map<String, Long> acc = rest().accumulators(job);
            return acc.getOrDefault(FrameAccountingFunction.ANALYSED, 0L)
                    + acc.getOrDefault(FrameAccountingFunction.GATED, 0L)
                    + acc.getOrDefault(FrameAccountingFunction.DEAD_LETTERED, 0L);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Frames analysed by the current execution of the job (0 while it restarts). */
    long analysed() {
        try {
            return rest().accumulators(job).getOrDefault(FaceEmbeddingFunction.FRAMES_ANALYZED, 0L);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Waits until the job has analysed {@code n} frames: the pass is under way. */
    void awaitAnalysed(long n) throws InterruptedException {
        LocalCluster.await(() -> analysed() >= n, Duration.ofMinutes(3), n + " frames analysed");
    }

    /**
     * Waits until {@code jobId} runs every task again, none of them on {@code lost} (the host the
     * fault took away); returns the milliseconds since {@code sinceNanos}. On a timeout, the job's
     * state and its latest failures say why.
     */
    long awaitRecovered(String jobId, String lost, long sinceNanos) throws Exception {
        FlinkRest rest = rest();
        try {
            LocalCluster.await(
                    () -> {
                        try {
                            return rest.allTasksRunning(jobId)
                                    && !rest.taskManagersOf(jobId).contains(lost);
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    Duration.ofMinutes(3),
                    "job " + jobId + " running all its tasks without " + lost);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; " + rest.diagnose(jobId), e);
        }
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /** The outcome once ingest has finished the pass and the alert has closed. */
    Outcome finish(String fault, long recoveryMs) throws Exception {
        ClusterProcess ingest = cluster.process("ingest");
        LocalCluster.await(() -> !ingest.isAlive(), Duration.ofMinutes(3), "ingest to finish");
        LocalStack stack = cluster.stack();
        List<Alert> alerts = AlertsOnTopic.untilClosed(stack, 1);
        List<Frame> onTopic;
        try (AvroTopicReader<Frame> r =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        stack.config().framesTopic(),
                        Frame.getDecoder())) {
            onTopic =
                    r.drain(Duration.ofSeconds(2), Duration.ofSeconds(60)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
        List<CameraStatus> statuses;
        try (AvroTopicReader<CameraStatus> r =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        stack.config().cameraStatusTopic(),
                        CameraStatus.getDecoder())) {
            statuses =
                    r.drain(Duration.ofSeconds(2), Duration.ofSeconds(30)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
        long deadLetters;
        try (AvroTopicReader<DeadLetter> r =
                new AvroTopicReader<>(
                        stack.bootstrapServers(),
                        stack.config().deadLetterTopic(),
                        DeadLetter.getDecoder())) {
            deadLetters = r.drain(Duration.ofSeconds(2), Duration.ofSeconds(30)).size();
        }
        CameraStatus last = statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
        long distinct = onTopic.stream().map(Frame::getSequence).distinct().count();
        // The job's accumulators reach the REST API with its heartbeats: wait for the count to
        // come in (a frame lost never does, and the assertion names the shortfall).
        try {
            LocalCluster.await(
                    () -> accounted() >= distinct,
                    Duration.ofSeconds(60),
                    "the job to account for " + distinct + " frames");
        } catch (IllegalStateException e) {
            // Reported by assertExact with the count reached.
        }
        long accounted = accounted();
        int supporting =
                alerts.stream()
                        .filter(Alert::getClosed)
                        .mapToInt(Alert::getSupportingFrames)
                        .max()
                        .orElse(0);
        Outcome o =
                new Outcome(
                        fault,
                        last == null ? -1 : last.getFramesPublished(),
                        distinct,
                        onTopic.size() - distinct,
                        alerts.stream().filter(a -> a.getRevision() == 0).count(),
                        alerts.stream().filter(Alert::getClosed).count(),
                        AlertsOnTopic.duplicates(alerts),
                        accounted,
                        supporting,
                        deadLetters,
                        recoveryMs,
                        statuses);
        System.out.println(o);
        return o;
    }

    /** What a fault test reports. */
    record Outcome(
            String fault,
            long framesPublished,
            long framesOnTopic,
            long framesDuplicatedOnTopic,
            long alertsRaised,
            long alertsClosed,
            long alertRecordsDuplicated,
            long framesAccounted,
            int supportingFrames,
            long deadLetters,
            long recoveryMs,
            List<CameraStatus> statuses) {
        /**
         * Exactly once: every frame on the topic once, each accounted for at the detector exactly
         * once (analysed, or skipped by the motion gate, or dead-lettered there), one alert raised
         * and closed, no record repeated, no dead letter. The alert's supporting frames are its
         * recall (frames whose face matched), not an accounting: a frame whose face is too small or
         * turned away supports nothing and is still counted.
         */
        void assertExact(int frames) {
            assertThat(framesPublished).isEqualTo(frames);
            assertThat(framesOnTopic).isEqualTo(frames);
            assertThat(framesDuplicatedOnTopic).isZero();
            assertThat(framesAccounted)
                    .as("frames accounted for at the detector")
                    .isEqualTo(frames);
            assertThat(alertsRaised).isEqualTo(1);
            assertThat(alertsClosed).isEqualTo(1);
            assertThat(alertRecordsDuplicated).isZero();
            assertThat(deadLetters).isZero();
            assertThat(supportingFrames).isBetween((int) (frames * 0.9), frames);
        }

        @Override
        public String toString() {
            return String.format(
                    "cluster fault [%s]: alerts expected 1, raised %d, closed %d, duplicated"
                            + " records %d; frames published %d, on the topic %d (duplicated %d),"
                            + " accounted for at the detector %d, supporting the alert %d; dead"
                            + " letters %d; recovery %d ms",
                    fault,
                    alertsRaised,
                    alertsClosed,
                    alertRecordsDuplicated,
                    framesPublished,
                    framesOnTopic,
                    framesDuplicatedOnTopic,
                    framesAccounted,
                    supportingFrames,
                    deadLetters,
                    recoveryMs);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
