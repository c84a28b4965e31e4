package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.track.AlertSettings;
import io.vigil.local.cluster.ClusterProcess;
import io.vigil.local.cluster.LocalCluster;
import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster faults beyond the TaskManager kill that CI runs ({@link
 * ClusterTaskManagerKillITCase}): each a pass of the real demo video through the multi-process
 * cluster with one fault in the middle, and the same counts. About two minutes each, so they run on
 * demand (docs/cluster.md): {@code mvn -pl deploy/local surefire:test@cluster-faults}.
 */
class ClusterFaultRehearsal {
    static final int FRAMES = 50;

    @Test
    void partitionLeaderBrokerKilled(@TempDir Path work) throws Exception {
        // Frames stall until the controller fences the dead broker (broker.session.timeout.ms,
        // 9 s): a camera silent for less than that must not close its alert (the default is 5
        // minutes; the other passes use 5 s to finish sooner).
        try (ClusterPass pass =
                ClusterPass.prepare(
                        work,
                        "vgf",
                        3,
                        FRAMES,
                        Map.of(AlertSettings.ALERT_SILENT_CAMERA_MS, "20000"))) {
            String job = pass.start();
            pass.awaitAnalysed(FRAMES / 3);
            int partitions = pass.cluster.partitions(pass.cluster.stack().config().framesTopic());
            int partition =
                    Utils.toPositive(
                                    Utils.murmur2(
                                            ClusterPass.CAMERA.getBytes(StandardCharsets.UTF_8)))
                            % partitions;
            int leader =
                    pass.cluster.leaderOf(pass.cluster.stack().config().framesTopic(), partition);
            ClusterProcess broker = pass.cluster.process("kafka" + leader);
            long restarts = pass.rest().restarts(job);
            long killedAt = System.nanoTime();
            broker.kill();
            // The camera's partition has a new leader among the two left.
            LocalCluster.await(
                    () -> {
                        try {
                            int now =
                                    pass.cluster.leaderOf(
                                            pass.cluster.stack().config().framesTopic(), partition);
                            return now != leader;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    Duration.ofSeconds(60),
                    "a new leader for the camera's partition");
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            Thread.sleep(10_000);
            broker.start();
            pass.cluster.awaitBrokers(3, Duration.ofMinutes(2));
            long jobRestarts = pass.rest().restarts(job) - restarts;
            ClusterPass.Outcome o =
                    pass.finish(
                            "kill -9 partition leader kafka"
                                    + leader
                                    + "; new leader after "
                                    + failoverMs
                                    + " ms; job restarts "
                                    + jobRestarts,
                            failoverMs);
            o.assertExact(FRAMES);
        }
    }

    @Test
    void taskManagerCutFromTheNetworkThenHealed(@TempDir Path work) throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgf", 3, FRAMES, Map.of())) {
            Assumptions.assumeTrue(
                    pass.cluster.network().isolated(), "network namespaces are not available");
            String job = pass.start();
            pass.awaitAnalysed(FRAMES / 3);
            long cutAt = System.nanoTime();
            pass.cluster.network().cut("tm2");
            long recoveryMs = pass.awaitRecovered(job, "tm2", cutAt);
            assertThat(pass.rest().taskManagersOf(job)).containsExactly("tm1");
            pass.cluster.network().heal("tm2");
            long healedAt = System.nanoTime();
            LocalCluster.await(
                    () -> pass.rest().taskManagers() == 2,
                    Duration.ofMinutes(2),
                    "tm2 to register again after the heal");
            long rejoinMs = (System.nanoTime() - healedAt) / 1_000_000;
            ClusterPass.Outcome o =
                    pass.finish(
                            "network partition of tm2 (heartbeat timeout 10 s); rejoined "
                                    + rejoinMs
                                    + " ms after the heal",
                            recoveryMs);
            o.assertExact(FRAMES);
        }
    }

    @Test
    void taskManagerPartitionedFromTheJobManagerWhileItStillReachesKafka(@TempDir Path work)
            throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgf", 3, FRAMES, Map.of())) {
            Assumptions.assumeTrue(
                    pass.cluster.network().isolated(), "network namespaces are not available");
            String job = pass.start();
            pass.awaitAnalysed(FRAMES / 3);
            long cutAt = System.nanoTime();
            // The partitioned TaskManager's tasks go on writing to Kafka until it gives them up:
            // the restarted job's producers fence its transactions.
            pass.cluster.network().partition("tm2", "jm");
            long recoveryMs = pass.awaitRecovered(job, "tm2", cutAt);
            assertThat(pass.rest().taskManagersOf(job)).containsExactly("tm1");
            pass.cluster.network().heal("tm2", "jm");
            long healedAt = System.nanoTime();
            LocalCluster.await(
                    () -> pass.rest().taskManagers() == 2,
                    Duration.ofMinutes(2),
                    "tm2 to register again after the heal");
            long rejoinMs = (System.nanoTime() - healedAt) / 1_000_000;
            ClusterPass.Outcome o =
                    pass.finish(
                            "tm2 partitioned from the JobManager only (heartbeat timeout 10 s);"
                                    + " rejoined "
                                    + rejoinMs
                                    + " ms after the heal",
                            recoveryMs);
            o.assertExact(FRAMES);
        }
    }

    @Test
    void jobManagerKilledAndJobResubmittedFromItsLatestCheckpoint(@TempDir Path work)
            throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgf", 3, FRAMES, Map.of())) {
            String job = pass.start();
            pass.awaitAnalysed(FRAMES / 3);
            ClusterProcess jm = pass.cluster.process("jm");
            long killedAt = System.nanoTime();
            jm.kill();
            jm.start();
            LocalCluster.await(
                    () -> pass.rest().taskManagers() == 2,
                    Duration.ofMinutes(2),
                    "the TaskManagers to register with the new JobManager");
            // Without HA the new JobManager knows no job: resubmit from the retained checkpoint.
            Path checkpoint =
                    LocalStack.latestCheckpoint(work.resolve("checkpoints")).orElseThrow();
            pass.job = pass.cluster.submitJob(pass.settings, checkpoint.toUri().toString());
            long recoveryMs = (System.nanoTime() - killedAt) / 1_000_000;
            ClusterPass.Outcome o =
                    pass.finish(
                            "kill -9 JobManager, resubmitted from " + checkpoint.getFileName(),
                            recoveryMs);
            o.assertExact(FRAMES);
        }
    }

    @Test
    void upgradedThroughStopWithSavepoint(@TempDir Path work) throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgf", 3, FRAMES, Map.of())) {
            String job = pass.start();
            // Past the alert's first revision: an open track and an open alert are in the state.
            pass.awaitAnalysed(FRAMES / 2);
            long stoppedAt = System.nanoTime();
            String savepoint =
                    pass.rest()
                            .stopWithSavepoint(
                                    job,
                                    work.resolve("savepoints").toUri().toString(),
                                    Duration.ofMinutes(2));
            Path changed = changedBuild(pass.cluster.jobJar(), work.resolve("vigil-job-next.jar"));
            pass.job = pass.cluster.submitJob(changed, pass.settings, savepoint);
            long downtimeMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            ClusterPass.Outcome o =
                    pass.finish("upgrade: stop-with-savepoint, changed job jar", downtimeMs);
            o.assertExact(FRAMES);
        }
    }

    @Test
    void brokersRestartedOneAtATimeWhileStreaming(@TempDir Path work) throws Exception {
        try (ClusterPass pass = ClusterPass.prepare(work, "vgf", 3, 80, Map.of())) {
            pass.start();
            pass.awaitAnalysed(6);
            long t0 = System.nanoTime();
            for (int i = 1; i <= 3; i++) {
                ClusterProcess broker = pass.cluster.process("kafka" + i);
                // SIGTERM: a controlled shutdown hands its partitions over first.
                broker.stop(Duration.ofSeconds(60));
                broker.start();
                pass.cluster.awaitBrokers(3, Duration.ofMinutes(2));
                pass.cluster.awaitInSync(Duration.ofMinutes(2));
            }
            long rollMs = (System.nanoTime() - t0) / 1_000_000;
            ClusterPass.Outcome o = pass.finish("rolling restart of the 3 brokers", rollMs);
            assertThat(o.framesPublished()).isEqualTo(80);
            assertThat(o.framesOnTopic()).isEqualTo(80);
            assertThat(o.framesDuplicatedOnTopic()).isZero();
            assertThat(o.alertsRaised()).isEqualTo(1);
            assertThat(o.alertRecordsDuplicated()).isZero();
            // The camera never went missing: streaming throughout, nothing dropped.
            assertThat(o.statuses())
                    .filteredOn(s -> s.getCameraId().equals(ClusterPass.CAMERA))
                    .extracting(CameraStatus::getState)
                    .isSubsetOf(CameraState.STARTING, CameraState.STREAMING, CameraState.STOPPED);
            assertThat(o.statuses()).allSatisfy(s -> assertThat(s.getFramesDropped()).isZero());
        }
    }

    /** A different build of the job jar: the same classes, a new build stamp in its manifest. */
    private static Path changedBuild(Path jar, Path out) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes()
                    .put(new Attributes.Name("Implementation-Build"), "upgrade-rehearsal");
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), m)) {
                var entries = in.entries();
                while (entries.hasMoreElements()) {
                    var e = entries.nextElement();
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    o.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                    try (var is = in.getInputStream(e)) {
                        is.transferTo(o);
                    }
                    o.closeEntry();
                }
            }
        }
        return out;
    }
}
