package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditLog;
import io.vigil.index.MatchPolicy;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.index.milvus.MilvusSettings;
import io.vigil.index.milvus.MilvusTestServer;
import io.vigil.index.milvus.MilvusVectorIndex;
import io.vigil.index.spec.IndexSpec;
import io.vigil.schemas.FaceCrop;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.FaceObservation;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import io.vigil.watchlist.Enrollment;
import io.vigil.watchlist.WatchlistEnroller;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The match operator under Flink's harness with real embeddings of real photos. */
class WatchlistMatchFunctionTest {
    static FaceAnalyzer analyzer;

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

    static FaceDetection faceOf(String media, long seq) throws Exception {
        RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media(media)));
        AnalyzedFace face = analyzer.analyze(img).get(0);
        DecodedFrame f = new DecodedFrame();
        f.cameraId = "cam-1";
        f.sequence = seq;
        f.captureTimestamp = 1000;
        f.ingestTimestamp = 1001;
        f.purposes = new String[] {"missing persons"};
        FaceDetection d = FaceEmbeddingFunction.toRecord(f, 0, face, analyzer.embedderId());
        RgbImage crop = FaceCrops.crop(img, face.box());
        d.setCrop(new FaceCrop(crop.width(), crop.height(), ByteBuffer.wrap(crop.rgb())));
        return d;
    }

    @Test
    void enrolledPersonFromAnotherPhotoAlertsOthersDoNot(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("photos");
        Files.createDirectories(photos.resolve("cage"));
        Files.copy(AssetPaths.media("cage.jpg"), photos.resolve("cage/cage.jpg"));
        Path indexDir = tmp.resolve("index");
        String cageEntry;
        List<String> cageFaces;
        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir)) {
            WatchlistService service =
                    new WatchlistService(
                            analyzer,
                            index,
                            new ReferenceFaces(tmp.resolve("references")),
                            Duration.ofDays(30),
                            AuditLog.logging(),
                            Clock.systemUTC());
            new WatchlistEnroller(service)
                    .enrollFolder(
                            photos,
                            "tester",
                            "CASE-7",
                            Instant.now().plus(Duration.ofDays(1)),
                            QualityFilter.MEDIUM,
                            List.of("missing persons"),
                            List.of());
            cageEntry = WatchlistService.entryId("cage", service.modelId());
            cageFaces = index.entry(cageEntry).orElseThrow().faceIds();
        }

        MatchPolicy policy = defaultPolicy();
        try (OneInputStreamOperatorTestHarness<FaceDetection, FaceObservation> h =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new WatchlistMatchFunction(IndexSpec.lucene(indexDir), policy))) {
            h.processElement(faceOf("cage2_crop.jpg", 1), 1000);
            h.processElement(faceOf("audrey.jpg", 2), 1000);
            h.processElement(faceOf("SeanConnery.jpg", 3), 1000);
            // The enrolled face again, from a camera authorized for another purpose only.
            FaceDetection elsewhere = faceOf("cage2_crop.jpg", 4);
            elsewhere.setCameraPurposes(List.of("traffic enforcement"));
            h.processElement(elsewhere, 1000);

            // Every face goes on to the tracker, only the matching one with a hit; no embedding.
            List<FaceObservation> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(FaceObservation::getFrameSequence)
                    .containsExactly(1L, 2L, 3L, 4L);
            assertThat(out.get(3).getHit())
                    .as("an entry is searched only for the purposes it was enrolled for")
                    .isNull();
            assertThat(out.get(1).getHit()).isNull();
            assertThat(out.get(2).getHit()).isNull();
            // Only the matching face keeps pixels: a JPEG crop for the reviewer.
            assertThat(out.get(1).getFaceCrop()).isNull();
            assertThat(out.get(2).getFaceCrop()).isNull();
            ByteBuffer jpeg = out.get(0).getFaceCrop().duplicate();
            byte[] bytes = new byte[jpeg.remaining()];
            jpeg.get(bytes);
            RgbImage crop = RgbImage.decode(bytes);
            assertThat(Math.max(crop.width(), crop.height())).isBetween(40, FaceCrops.MAX_SIDE);
            FaceObservation a = out.get(0);
            assertThat(a.getHit().getExternalId()).isEqualTo("cage");
            assertThat(a.getHit().getLegalBasis()).isEqualTo("CASE-7");
            // The enrolled face it matched, whose reference images the reviewer sees.
            assertThat(cageFaces).contains(a.getHit().getFaceId());
            assertThat(
                            new ReferenceFaces(tmp.resolve("references"))
                                    .get(
                                            cageEntry,
                                            a.getHit().getFaceId(),
                                            ReferenceFaces.Kind.WIDE))
                    .isPresent();
            assertThat(a.getHit().getSimilarity()).isGreaterThanOrEqualTo(policy.threshold());
            assertThat(a.getThreshold()).isEqualTo(policy.threshold());
            assertThat(FaceObservation.getClassSchema().getField("embedding")).isNull();
            // Non-keyed operators cannot hold timers; the checkpoint must carry no state either.
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
            assertThat(snapshot.getManagedOperatorState()).isEmpty();
            assertThat(snapshot.getManagedKeyedState()).isEmpty();
        }
    }

    @Test
    void anEntryRestrictedToCamerasIsMatchedOnlyOnThoseOnLuceneAndMilvus(@TempDir Path tmp)
            throws Exception {
        try (MilvusTestServer server = MilvusTestServer.start()) {
            MilvusSettings milvus = MilvusSettings.defaults(server.uri(), 128);
            Path indexDir = tmp.resolve("index");
            for (IndexSpec spec : List.of(IndexSpec.lucene(indexDir), IndexSpec.milvus(milvus))) {
                try (var index = spec.open(false)) {
                    WatchlistService service =
                            new WatchlistService(
                                    analyzer,
                                    index,
                                    ReferenceFaces.discarding(),
                                    Duration.ofDays(30),
                                    AuditLog.logging(),
                                    Clock.systemUTC());
                    service.enroll(
                            new Enrollment(
                                    "cage",
                                    List.of(
                                            new Enrollment.Photo(
                                                    "cage.jpg",
                                                    Files.readAllBytes(
                                                            AssetPaths.media("cage.jpg")))),
                                    "tester",
                                    "WARRANT-3 (north district)",
                                    Instant.now().plus(Duration.ofDays(1)),
                                    1,
                                    QualityFilter.MEDIUM,
                                    List.of("missing persons"),
                                    List.of("cam-north")));
                    index.commit();
                }
                try (OneInputStreamOperatorTestHarness<FaceDetection, FaceObservation> h =
                        ProcessFunctionTestHarnesses.forProcessFunction(
                                new WatchlistMatchFunction(spec, defaultPolicy()))) {
                    FaceDetection north = faceOf("cage2_crop.jpg", 1);
                    north.setCameraId("cam-north");
                    FaceDetection south = faceOf("cage2_crop.jpg", 2);
                    south.setCameraId("cam-south");
                    h.processElement(north, 1000);
                    h.processElement(south, 1000);
                    List<FaceObservation> out = h.extractOutputValues();
                    assertThat(out.get(0).getHit()).as("%s, on its camera", spec).isNotNull();
                    assertThat(out.get(1).getHit())
                            .as("%s, on a camera the entry does not name", spec)
                            .isNull();
                    assertThat(out.get(1).getFaceCrop()).isNull();
                }
            }
        }
    }

    @Test
    void matchesAgainstMilvusOverGrpcAndSeesARemovalAtOnce() throws Exception {
        try (MilvusTestServer server = MilvusTestServer.start()) {
            MilvusSettings settings = MilvusSettings.defaults(server.uri(), 128);
            MatchPolicy policy = defaultPolicy();
            try (MilvusVectorIndex index = MilvusVectorIndex.connect(settings);
                    OneInputStreamOperatorTestHarness<FaceDetection, FaceObservation> h =
                            ProcessFunctionTestHarnesses.forProcessFunction(
                                    new WatchlistMatchFunction(
                                            IndexSpec.milvus(settings), policy))) {
                WatchlistService service =
                        new WatchlistService(
                                analyzer,
                                index,
                                ReferenceFaces.discarding(),
                                Duration.ofDays(30),
                                AuditLog.logging(),
                                Clock.systemUTC());
                service.enroll(
                        new Enrollment(
                                "cage",
                                List.of(
                                        new Enrollment.Photo(
                                                "cage.jpg",
                                                Files.readAllBytes(AssetPaths.media("cage.jpg")))),
                                "tester",
                                "CASE-8",
                                Instant.now().plus(Duration.ofDays(1)),
                                1,
                                QualityFilter.MEDIUM,
                                List.of("missing persons")));

                h.processElement(faceOf("cage2_crop.jpg", 1), 1000);
                h.processElement(faceOf("audrey.jpg", 2), 1000);
                assertThat(h.extractOutputValues())
                        .filteredOn(o -> o.getHit() != null)
                        .singleElement()
                        .satisfies(o -> assertThat(o.getHit().getExternalId()).isEqualTo("cage"));

                service.remove("cage", "tester", "test");
                h.processElement(faceOf("cage2_crop.jpg", 3), 1000);
                assertThat(h.extractOutputValues()).hasSize(3);
                assertThat(h.extractOutputValues().get(2).getHit()).isNull();
                assertThat(server.calls("search")).isEqualTo(3);
            }
        }
    }

    /** The default embedder's own threshold and floor. */
    private static MatchPolicy defaultPolicy() {
        ModelManifest.Threshold t = ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER).threshold();
        return new MatchPolicy(analyzer.embedderId(), (float) t.value(), (float) t.floor(), 5);
    }
}
