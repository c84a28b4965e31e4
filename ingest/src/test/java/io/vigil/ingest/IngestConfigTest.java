package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
    static Map<String, String> with(Path cameras) {
        Map<String, String> m = new HashMap<>();
        m.put(IngestConfig.CAMERAS_FILE, cameras.toString());
        return m;
    }

    @Test
    void camerasFileIsParsedWithCommentsAndItsErrorsNameFileAndLine(@TempDir Path tmp)
            throws Exception {
        Path ok = tmp.resolve("cameras.txt");
        Files.writeString(
                ok,
                "# lobby\n"
                        + "cam-1 rtsp://user:pw@10.0.0.5/stream  # entrance\n\n"
                        + "cam-2 /media/x.mp4\n");
        List<CameraSpec> cams = new IngestConfig(with(ok)).allCameras();
        assertThat(cams).extracting(CameraSpec::cameraId).containsExactly("cam-1", "cam-2");
        assertThat(cams.get(0).source()).isEqualTo("rtsp://user:pw@10.0.0.5/stream");
        assertThat(cams.get(0).sampleFps()).isEqualTo(2.0);

        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "cam-1 a.mp4\ncam-1 b.mp4\n");
        assertThatThrownBy(() -> new IngestConfig(with(bad)).allCameras())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(IngestConfig.CAMERAS_FILE)
                .hasMessageContaining("line 2")
                .hasMessageContaining("twice");
        Files.writeString(bad, "bad/id a.mp4\n");
        assertThatThrownBy(() -> new IngestConfig(with(bad)).allCameras())
                .hasMessageContaining("line 1");
    }

    @Test
    void requiredAndInconsistentSettingsAreNamed(@TempDir Path tmp) {
        assertThatThrownBy(() -> new IngestConfig(Map.of()))
                .hasMessageContaining(IngestConfig.CAMERAS_FILE);
        Map<String, String> m = with(tmp.resolve("c.txt"));
        m.put(IngestConfig.SHARD_COUNT, "3");
        m.put(IngestConfig.SHARD_INDEX, "3");
        assertThatThrownBy(() -> new IngestConfig(m))
                .hasMessageContaining(IngestConfig.SHARD_INDEX);
        m.put(IngestConfig.SHARD_INDEX, "2");
        m.put(IngestConfig.OVERFLOW, "sometimes");
        assertThatThrownBy(() -> new IngestConfig(m)).hasMessageContaining(IngestConfig.OVERFLOW);
        m.put(IngestConfig.OVERFLOW, "drop-oldest");
        // Heavy compression would erase the small faces the detector looks for.
        m.put(IngestConfig.JPEG_QUALITY, "30");
        assertThatThrownBy(() -> new IngestConfig(m))
                .hasMessageContaining(IngestConfig.JPEG_QUALITY);
        m.put(IngestConfig.JPEG_QUALITY, "50");
        assertThat(new IngestConfig(m).getInt(IngestConfig.JPEG_QUALITY)).isEqualTo(50);
    }

    @Test
    void shardsSplitTheCamerasWithoutOverlapAndEnvironmentOverrides(@TempDir Path tmp)
            throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            list.append("cam-").append(i).append(" rtsp://10.0.0.1/").append(i).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("cams.txt"), list);
        Set<String> seen = new HashSet<>();
        for (int shard = 0; shard < 3; shard++) {
            IngestConfig c =
                    IngestConfig.load(
                            null,
                            Map.of(
                                    "VIGIL_INGEST_CAMERAS_FILE", file.toString(),
                                    "VIGIL_INGEST_SHARD_COUNT", "3",
                                    "VIGIL_INGEST_SHARD_INDEX", String.valueOf(shard)));
            List<CameraSpec> mine = c.myCameras();
            assertThat(mine).hasSizeBetween(15, 55);
            mine.forEach(cam -> assertThat(seen.add(cam.cameraId())).isTrue());
        }
        assertThat(seen).hasSize(100);
        // A camera's shard depends on its id only.
        assertThat(IngestConfig.shardOf("cam-7", 3)).isEqualTo(IngestConfig.shardOf("cam-7", 3));
    }

    @Test
    void cameraCredentialsComeFromTheEnvironmentAndErrorsNameTheVariableNotItsValue(
            @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("cameras.txt");
        Files.writeString(
                file, "cam-1 rtsp://${env:CAM1_USER}:${env:CAM1_PASSWORD}@10.0.0.5/stream\n");
        IngestConfig c = new IngestConfig(with(file));
        List<CameraSpec> cams =
                c.allCameras(Map.of("CAM1_USER", "viewer", "CAM1_PASSWORD", "p@ss#1"));
        assertThat(cams.get(0).source()).isEqualTo("rtsp://viewer:p@ss#1@10.0.0.5/stream");
        assertThatThrownBy(() -> c.allCameras(Map.of("CAM1_USER", "viewer")))
                .hasMessageContaining("CAM1_PASSWORD")
                .hasMessageContaining("line 1");
    }
}
