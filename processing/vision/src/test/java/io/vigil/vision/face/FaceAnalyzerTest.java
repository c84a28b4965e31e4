package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import io.vigil.vision.model.TestManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real inference with the real default models on real photos from the sample media package. */
class FaceAnalyzerTest {
    private static FaceAnalyzer analyzer;
    private static final ModelManifest.Threshold THRESHOLD =
            ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER).threshold();

    @BeforeAll
    static void load() {
        analyzer =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    static AnalyzedFace only(String media) throws IOException {
        RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media(media)));
        List<AnalyzedFace> faces = analyzer.analyze(img);
        assertThat(faces).as("faces in %s", media).hasSize(1);
        return faces.get(0);
    }

    @Test
    void findsOneFaceWithPlausibleLandmarksInAPortrait() throws IOException {
        AnalyzedFace f = only("franck_02159.jpg");
        assertThat(f.box().score()).isGreaterThan(0.9f);
        float[][] p = f.fivePoints();
        // eyes above nose above mouth, left eye left of right eye, all inside the box
        assertThat(p[0][0]).isLessThan(p[1][0]);
        assertThat(p[2][1]).isGreaterThan(p[0][1]).isLessThan(p[3][1]);
        for (float[] pt : p) {
            assertThat(pt[0]).isBetween(f.box().x1(), f.box().x2());
            assertThat(pt[1]).isBetween(f.box().y1(), f.box().y2());
        }
        assertThat(f.embedding()).hasSize(128);
        assertThat(Embeddings.similarity(f.embedding(), f.embedding()))
                .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(f.quality().overall()).isBetween(0f, 1f);
    }

    @Test
    void facesOutsideTheRegionsOfInterestAreSkippedBeforeEmbedding() throws IOException {
        RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media("franck_02159.jpg")));
        Box face = analyzer.detect(img).get(0);
        float cx = (face.x1() + face.x2()) / 2f;
        FaceAnalyzer.FrameAnalysis outside =
                analyzer.analyze(img, QualityFilter.NONE, leftOf(cx - 1));
        assertThat(outside.faces()).isEmpty();
        assertThat(outside.skipped()).containsExactly(UnindexedReason.OUTSIDE_REGION_OF_INTEREST);
        FaceAnalyzer.FrameAnalysis inside =
                analyzer.analyze(img, QualityFilter.NONE, leftOf(cx + 1));
        assertThat(inside.faces()).hasSize(1);
        assertThat(inside.skipped()).isEmpty();
    }

    /** Faces whose centre is left of x. */
    private static RegionFilter leftOf(float x) {
        return new RegionFilter() {
            @Override
            public boolean contains(Box face, int frameWidth, int frameHeight) {
                return (face.x1() + face.x2()) / 2f < x;
            }

            @Override
            public boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight) {
                return area.x1() < x;
            }
        };
    }

    @Test
    void samePersonIsMoreSimilarThanDifferentPeople() throws IOException {
        float[] franckA = only("franck_02159.jpg").embedding();
        float[] franckB = only("franck_03909.jpg").embedding();
        float[] cage = only("cage.jpg").embedding();
        float[] cage2 = only("cage2_crop.jpg").embedding();
        float[] audrey = only("audrey.jpg").embedding();
        float genuineFranck = Embeddings.similarity(franckA, franckB);
        float genuineCage = Embeddings.similarity(cage, cage2);
        float impostor1 = Embeddings.similarity(franckA, cage);
        float impostor2 = Embeddings.similarity(franckA, audrey);
        float impostor3 = Embeddings.similarity(cage, audrey);
        System.out.printf(
                "genuine franck=%.3f cage=%.3f impostor franck/cage=%.3f franck/audrey=%.3f"
                        + " cage/audrey=%.3f%n",
                genuineFranck, genuineCage, impostor1, impostor2, impostor3);
        // On the default embedder's own scale: same person above its threshold, others under its
        // floor.
        assertThat(genuineFranck).isGreaterThan((float) THRESHOLD.value());
        assertThat(genuineCage).isGreaterThan((float) THRESHOLD.value());
        assertThat(Math.max(impostor1, Math.max(impostor2, impostor3)))
                .isLessThan((float) THRESHOLD.floor());
    }

    @Test
    void blazeFaceWithItsOwnKeypointsAlignsWellEnoughToIdentify() throws IOException {
        FaceModels d = FaceModels.defaults(AssetPaths.root());
        FaceModels blaze =
                new FaceModels(
                        ModelCatalog.builtIn("blazeface-back-256"),
                        null,
                        d.embedder(),
                        d.assetsDir());
        try (FaceAnalyzer bf =
                new FaceAnalyzer(blaze, DetectorSettings.defaults(), InferenceOptions.cpu(1))) {
            RgbImage img =
                    RgbImage.decode(Files.readAllBytes(AssetPaths.media("franck_02159.jpg")));
            List<Detection> found = bf.detectFaces(img);
            assertThat(found).hasSize(1);
            Detection face = found.get(0);
            assertThat(face.box().score()).isGreaterThan(0.8f);
            assertThat(face.box().iou(analyzer.detect(img).get(0))).isGreaterThan(0.4f);
            float[][] p = face.points();
            assertThat(p).hasNumberOfRows(4);
            // image-left eye, image-right eye, nose below the eyes, mouth centre below the nose
            assertThat(p[0][0]).isLessThan(p[1][0]);
            assertThat(p[2][1]).isGreaterThan(Math.max(p[0][1], p[1][1]));
            assertThat(p[3][1]).isGreaterThan(p[2][1]);
            for (float[] pt : p) {
                assertThat(pt[0]).isBetween(face.box().x1(), face.box().x2());
                assertThat(pt[1]).isBetween(face.box().y1(), face.box().y2());
            }
            float[] a = embedOnly(bf, "franck_02159.jpg");
            float[] b = embedOnly(bf, "franck_03909.jpg");
            float[] cage = embedOnly(bf, "cage.jpg");
            assertThat(Embeddings.similarity(a, b)).isGreaterThan((float) THRESHOLD.value());
            assertThat(Embeddings.similarity(a, cage)).isLessThan((float) THRESHOLD.floor());
        }
    }

    private static float[] embedOnly(FaceAnalyzer a, String media) throws IOException {
        List<AnalyzedFace> faces =
                a.analyze(RgbImage.decode(Files.readAllBytes(AssetPaths.media(media))));
        assertThat(faces).as("faces in %s", media).hasSize(1);
        assertThat(faces.get(0).fivePoints()).hasNumberOfRows(4);
        return faces.get(0).embedding();
    }

    @Test
    void aBatchOfFacesEmbedsAsEachFaceAlone() throws IOException {
        FaceModels d = FaceModels.defaults(AssetPaths.root());
        List<RgbImage> aligned = new java.util.ArrayList<>();
        for (String media : List.of("franck_02159.jpg", "cage.jpg", "audrey.jpg")) {
            RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media(media)));
            Detection face = analyzer.detectFaces(img).get(0);
            aligned.add(FaceAligner.align(img, analyzer.alignmentPoints(img, face)));
        }
        FaceModels batchable =
                new FaceModels(
                        d.detector(),
                        d.landmarks(),
                        ModelCatalog.builtIn("mobilefacenet-tf-human-3.0.4"),
                        d.assetsDir());
        FaceModels fixedBatch =
                new FaceModels(
                        d.detector(),
                        d.landmarks(),
                        ModelCatalog.builtIn("faceplugin-fr_feature-0.0.1"),
                        d.assetsDir());
        try (FaceAnalyzer mfn =
                        new FaceAnalyzer(
                                batchable, DetectorSettings.defaults(), InferenceOptions.cpu(1));
                FaceAnalyzer fixed =
                        new FaceAnalyzer(
                                fixedBatch, DetectorSettings.defaults(), InferenceOptions.cpu(1))) {
            assertThat(mfn.embedderTakesBatches()).isTrue();
            assertThat(fixed.embedderTakesBatches()).isFalse();
            for (FaceAnalyzer a : List.of(mfn, fixed)) {
                List<float[]> batch = a.embedBatch(aligned);
                assertThat(batch).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    float[] alone = a.embed(aligned.get(i));
                    assertThat(batch.get(i)).hasSize(alone.length);
                    for (int j = 0; j < alone.length; j++) {
                        assertThat(batch.get(i)[j])
                                .isCloseTo(alone[j], org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void missingModelFailsWithTheFileName(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        FaceModels d = FaceModels.defaults(AssetPaths.root());
        FaceModels bad =
                new FaceModels(
                        ModelCatalog.resolve(
                                TestManifests.write(
                                                tmp,
                                                ModelCatalog.DEFAULT_DETECTOR,
                                                Map.of("file", "nope.onnx"))
                                        .toString()),
                        d.landmarks(),
                        d.embedder(),
                        d.assetsDir());
        assertThatThrownBy(
                        () ->
                                new FaceAnalyzer(
                                        bad, DetectorSettings.defaults(), InferenceOptions.cpu(1)))
                .isInstanceOf(OnnxModel.ModelLoadException.class)
                .hasMessageContaining("nope.onnx");
    }

    @Test
    void tamperedModelIsRejectedByHash(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        FaceModels d = FaceModels.defaults(AssetPaths.root());
        FaceModels wrongHash =
                new FaceModels(
                        ModelCatalog.resolve(
                                TestManifests.write(
                                                tmp,
                                                ModelCatalog.DEFAULT_DETECTOR,
                                                Map.of(
                                                        "file",
                                                        d.path(d.detector()).toString(),
                                                        "sha256",
                                                        "00".repeat(32)))
                                        .toString()),
                        d.landmarks(),
                        d.embedder(),
                        d.assetsDir());
        assertThatThrownBy(
                        () ->
                                new FaceAnalyzer(
                                        wrongHash,
                                        DetectorSettings.defaults(),
                                        InferenceOptions.cpu(1)))
                .isInstanceOf(OnnxModel.ModelLoadException.class)
                .hasMessageContaining("fr_detect.onnx")
                .hasMessageContaining("SHA-256");
    }
}
