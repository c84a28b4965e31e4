package io.vigil.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.OnnxModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in manifests against the files the build fetched, and manifest validation. */
class ModelCatalogTest {

    @Test
    void everyBuiltInManifestParsesAndItsFileIsTheOneItPins() {
        List<String> ids = ModelCatalog.builtInIds();
        assertThat(ids)
                .contains(
                        ModelCatalog.DEFAULT_DETECTOR,
                        ModelCatalog.DEFAULT_LANDMARKS,
                        ModelCatalog.DEFAULT_EMBEDDER,
                        "blazeface-back-256",
                        "mobilefacenet-tf-human-3.0.4",
                        "dlib-resnet-v1-faceapi-1.7.15");
        Set<String> files = new HashSet<>();
        for (String id : ids) {
            ModelManifest m = ModelCatalog.builtIn(id);
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.licence()).isNotBlank();
            assertThat(m.source().pkg()).startsWith("npm:");
            assertThat(m.source().packageSha256()).hasSize(64);
            assertThat(files.add(m.file())).as("file of %s is unique", id).isTrue();
            // Installed by the build (converted ones too); the hash is checked as it loads.
            Path f = ModelCatalog.installed(m, AssetPaths.root());
            OnnxModel.load(f, m.sha256(), InferenceOptions.cpu(1)).close();
        }
    }

    @Test
    void embeddersCarryTheirCalibrationAndDetectorsTheirOutputs() {
        for (String id : ModelCatalog.builtInIds()) {
            ModelManifest m = ModelCatalog.builtIn(id);
            switch (m.role()) {
                case EMBEDDER -> {
                    assertThat(m.embeddingDimension()).isPositive();
                    assertThat(m.threshold().value()).isGreaterThanOrEqualTo(m.threshold().floor());
                    assertThat(m.threshold().calibratedOn()).isNotBlank();
                    assertThat(m.output("embedding")).isNotBlank();
                }
                case LANDMARKS -> assertThat(m.output("landmarks")).isNotBlank();
                default -> assertThat(m.outputs()).isNotEmpty();
            }
        }
    }

    @Test
    void aManifestErrorNamesTheManifestAndTheField() {
        String good =
                """
                {"id": "x", "role": "detector", "family": "yunet", "file": "x.onnx",
                 "sha256": "%s", "licence": "MIT",
                 "source": {"package": "npm:x@1"},
                 "input": {"name": "input", "layout": "NCHW", "width": 640, "height": 640,
                           "colour": "BGR", "mean": 0, "scale": 1},
                 "outputs": {}, "params": {"strides": [8, 16, 32]}}
                """
                        .formatted("a".repeat(64));
        assertThat(parse(good).params().get("strides")).containsExactly(8.0, 16.0, 32.0);
        assertThatThrownBy(() -> parse(good.replace("\"sha256\": \"" + "a".repeat(64) + "\",", "")))
                .hasMessageContaining("my.json")
                .hasMessageContaining("sha256 is required");
        assertThatThrownBy(() -> parse(good.replace("yunet", "retinaface")))
                .hasMessageContaining("family retinaface is not a known detector family");
        assertThatThrownBy(() -> parse(good.replace("NCHW", "CHW")))
                .hasMessageContaining("input.layout is CHW");
        assertThatThrownBy(() -> parse(good.replace("640, \"height\"", "0, \"height\"")))
                .hasMessageContaining("input.width must be a positive integer");
        assertThatThrownBy(() -> parse(good.replace("\"detector\"", "\"embedder\"")))
                .hasMessageContaining("family yunet is not a known embedder family");
        assertThatThrownBy(() -> parse(good).output("kps.8"))
                .hasMessageContaining("outputs.kps.8 is required");
    }

    @Test
    void anInt8ManifestCarriesItsActivationRangesAndABadOneIsNamed() {
        ModelManifest int8 = ModelCatalog.builtIn("dlib-resnet-v1-faceapi-1.7.15-int8");
        assertThat(int8.source().conversion()).isEqualTo("dlib-resnet-tfjs-weights-int8");
        assertThat(int8.source().activationRanges()).hasSize(55);
        assertThat(int8.source().activationRanges().get("relu_3")[0]).isZero();
        assertThat(ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER).source().activationRanges())
                .isEmpty();
        String manifest =
                """
                {"id": "x", "role": "detector", "family": "yunet", "file": "x.onnx",
                 "sha256": "%s", "licence": "MIT",
                 "source": {"package": "npm:x@1", "activationRanges": {"relu_3": %s}},
                 "input": {"name": "input", "layout": "NCHW", "width": 640, "height": 640,
                           "colour": "BGR", "mean": 0, "scale": 1},
                 "outputs": {}}
                """;
        assertThat(
                        parse(manifest.formatted("a".repeat(64), "[0, 4.5]"))
                                .source()
                                .activationRanges()
                                .get("relu_3"))
                .containsExactly(0f, 4.5f);
        for (String bad : List.of("[4.5, 0]", "[1]", "\"wide\"", "[0, \"x\"]")) {
            assertThatThrownBy(() -> parse(manifest.formatted("a".repeat(64), bad)))
                    .as(bad)
                    .hasMessageContaining("my.json")
                    .hasMessageContaining("source.activationRanges.relu_3 must be [min, max]");
        }
    }

    @Test
    void aUserManifestResolvesItsFileNextToItself(@TempDir Path tmp) throws IOException {
        Path f =
                TestManifests.write(
                        tmp, "blazeface-back-256", Map.of("id", "mine", "file", "sub/mine.onnx"));
        ModelManifest m = ModelCatalog.resolve(f.toString());
        assertThat(ModelCatalog.isBuiltIn(m)).isFalse();
        assertThat(ModelCatalog.file(m, AssetPaths.root())).isEqualTo(tmp.resolve("sub/mine.onnx"));
        assertThat(ModelCatalog.file(ModelCatalog.builtIn("blazeface-back-256"), tmp))
                .isEqualTo(
                        tmp.resolve("models/blazeface/face_detection_back_256x256_barracuda.onnx"));
        assertThatThrownBy(() -> ModelCatalog.resolve(tmp.resolve("none.json").toString()))
                .hasMessageContaining("none.json");
        assertThat(Files.exists(tmp.resolve("sub/mine.onnx"))).isFalse();
    }

    private static ModelManifest parse(String json) {
        try {
            return ModelManifest.parse(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "my.json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
