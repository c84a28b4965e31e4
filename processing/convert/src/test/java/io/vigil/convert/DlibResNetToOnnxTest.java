package io.vigil.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlibResNetToOnnxTest {

    @Test
    void uint8WeightsAreDequantisedAndFloatWeightsReadAsTheyAre(@TempDir Path dir)
            throws Exception {
        ByteBuffer b = ByteBuffer.allocate(3 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 10).put((byte) 255);
        b.putFloat(1.5f).putFloat(-2f);
        Files.write(dir.resolve("w.bin"), b.array());
        Path manifest = dir.resolve("m.json");
        Files.writeString(
                manifest,
                """
                [{"paths": ["w.bin"], "weights": [
                  {"name": "q", "shape": [3], "dtype": "float32",
                   "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
                  {"name": "f", "shape": [1, 2], "dtype": "float32"}]}]
                """);
        Map<String, DlibResNetToOnnx.Weight> w = DlibResNetToOnnx.readWeights(manifest);
        assertThat(w.get("q").values()).containsExactly(-1f, 4f, 126.5f);
        assertThat(w.get("f").shape()).containsExactly(1, 2);
        assertThat(w.get("f").values()[0]).isCloseTo(1.5f, offset(0f));
        assertThat(w.get("f").values()[1]).isCloseTo(-2f, offset(0f));
    }

    @Test
    void aShardThatDoesNotMatchItsManifestIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[5]);
        Path manifest = dir.resolve("m.json");
        Files.writeString(
                manifest,
                """
                [{"paths": ["w.bin"], "weights": [{"name": "f", "shape": [1], "dtype": "float32"}]}]
                """);
        assertThatThrownBy(() -> DlibResNetToOnnx.readWeights(manifest))
                .hasMessageContaining("1 bytes left");
        Files.writeString(
                manifest,
                """
                [{"paths": ["w.bin"], "weights": [{"name": "f", "shape": [1], "dtype": "int32"}]}]
                """);
        assertThatThrownBy(() -> DlibResNetToOnnx.readWeights(manifest))
                .hasMessageContaining("not float32");
    }

    private static JsonNode manifest(String name) throws Exception {
        return new ObjectMapper()
                .readTree(Path.of(System.getProperty("vigil.manifests"), name).toFile());
    }

    private static Path weights(JsonNode m) {
        return Path.of(System.getProperty("vigil.assets"), m.path("file").asText())
                .resolveSibling("face_recognition_model-weights_manifest.json");
    }

    @Test
    void theCalibrationGraphOutputsEveryActivationBesideTheEmbedding() throws Exception {
        Path w = weights(manifest("dlib-resnet-v1-faceapi-1.7.15.json"));
        List<String> activations = DlibResNetToOnnx.activations(w);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(DlibResNetToOnnx.calibrationModel(w), o)) {
            assertThat(s.getOutputNames()).contains("embedding").containsAll(activations);
            assertThat(s.getNumOutputs()).isEqualTo(activations.size() + 1);
        }
    }

    @Test
    void aRangeMustBeAFiniteInterval() {
        assertThat(new DlibResNetToOnnx.Range(-1f, 2f).max()).isEqualTo(2f);
        assertThatThrownBy(() -> new DlibResNetToOnnx.Range(2f, 1f))
                .hasMessageContaining("not a finite interval");
        assertThatThrownBy(() -> new DlibResNetToOnnx.Range(Float.NaN, 1f))
                .hasMessageContaining("not a finite interval");
    }
}
