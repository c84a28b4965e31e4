package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.kafka.KafkaSettings;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.IngestMain;
import io.vigil.job.JobSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.vision.model.AssetPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera as a city camera is reached: H.264 over RTSP with credentials, from a real RTSP server
 * (Debian's GStreamer RTSP server, its own process), through the ingest launcher, a real broker and
 * the real job. The server is killed mid-pass and started again: ingest reconnects with backoff,
 * the camera-status topic shows RECONNECTING then STREAMING and never the credentials, and the pass
 * still raises exactly one alert.
 */
class RtspCameraITCase {
    static final String CAMERA = "cam-rtsp";
    static final String PASSWORD = "s3cret-Pw";

    @Test
    void aCameraOverRtspWithCredentialsSurvivesItsServerDying(@TempDir Path work) throws Exception {
        try (RtspCamera rtsp =
                        RtspCamera.start(AssetPaths.media("franck.mp4"), "viewer", PASSWORD);
                LocalStack stack =
                        LocalStack.start(work, Map.of(JobSettings.PARALLELISM, "2"), 2)) {
            stack.registerCameras(CAMERA);
            stack.enroll(
                    DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                    "it-test",
                    "TEST-CASE-RTSP",
                    Instant.now().plus(Duration.ofDays(1)),
                    LocalStack.TEST_PURPOSES);
            JobClient job = stack.submitJob(false);
            Path cameras = work.resolve("cameras.txt");
            Files.writeString(cameras, CAMERA + " " + rtsp.url() + "\n");
            IngestConfig config =
                    new IngestConfig(
                            Map.of(
                                    KafkaSettings.BOOTSTRAP_SERVERS,
                                    stack.bootstrapServers(),
                                    IngestConfig.CAMERAS_FILE,
                                    cameras.toString(),
                                    IngestConfig.FPS,
                                    "2",
                                    IngestConfig.STATUS_INTERVAL_MS,
                                    "250"));
            try (IngestMain ingest = new IngestMain(config)) {
                ingest.start();
                Thread.sleep(7000);
                rtsp.kill();
                Thread.sleep(3000);
                rtsp.restart();
                Thread.sleep(9000);
            }

            List<CameraStatus> statuses = new ArrayList<>();
            List<String> raw = new ArrayList<>();
            try (AvroTopicReader<CameraStatus> reader =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            config.cameraStatusTopic(),
                            CameraStatus.getDecoder())) {
                reader.drain(Duration.ofSeconds(2), Duration.ofSeconds(20))
                        .forEach(
                                d -> {
                                    statuses.add(d.value());
                                    raw.add(d.value().toString());
                                });
            }
            // STREAMING, then RECONNECTING while the server is dead, then STREAMING again.
            List<CameraState> states = new ArrayList<>();
            for (CameraStatus s : statuses) {
                if (states.isEmpty() || states.get(states.size() - 1) != s.getState()) {
                    states.add(s.getState());
                }
            }
            assertThat(states)
                    .containsSubsequence(
                            CameraState.STREAMING, CameraState.RECONNECTING, CameraState.STREAMING);
            CameraStatus last = statuses.get(statuses.size() - 1);
            assertThat(last.getReconnects()).isPositive();
            assertThat(last.getFramesPublished()).isGreaterThan(20);
            assertThat(raw).noneMatch(r -> r.contains(PASSWORD) || r.contains("viewer:"));
            assertThat(String.join("\n", raw)).contains("rtsp://127.0.0.1:");

            List<Alert> alerts = AlertsOnTopic.all(stack);
            System.out.printf(
                    "fault test (RTSP server killed mid-pass, back after 3 s): camera states %s,"
                            + " reconnects %d, frames published %d, alerts raised %d, revisions"
                            + " %d%n",
                    states,
                    last.getReconnects(),
                    last.getFramesPublished(),
                    alerts.stream().filter(a -> a.getRevision() == 0).count(),
                    alerts.size());
            assertThat(alerts.stream().filter(a -> a.getRevision() == 0))
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getCameraId()).isEqualTo(CAMERA);
                                assertThat(a.getExternalId()).isEqualTo("demo-franck");
                            });
            for (String topic : List.of(stack.config().alertsTopic(), config.framesTopic())) {
                for (var record : RawTopic.readAll(stack.bootstrapServers(), topic)) {
                    assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                            .doesNotContain(PASSWORD);
                }
            }
            job.cancel().get();
        }
    }
}
