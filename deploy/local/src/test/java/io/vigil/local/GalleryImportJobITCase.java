package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.milvus.MilvusTestServer;
import io.vigil.job.gallery.GalleryImportJob;
import io.vigil.job.gallery.ReportFileSink;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.InvestigationSearch;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster gallery import: the Flink job at parallelism 2 on a MiniCluster imports a manifest of
 * real booking photos with real models into a Milvus gallery (real SDK, real gRPC, the test-side
 * server), one report line per row with the reasons of the rejected ones; a rerun imports nothing
 * again; a booked person's other photo is ranked first; an embedded gallery is refused.
 */
class GalleryImportJobITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void importsAManifestOnTheClusterIntoAMilvusGallery(@TempDir Path work) throws Exception {
        Path photos = work.resolve("bookings");
        Files.createDirectories(photos);
        for (String f : List.of("franck_01829.jpg", "cage.jpg", "audrey.jpg")) {
            Files.copy(AssetPaths.media(f), photos.resolve(f));
        }
        Path manifest = work.resolve("bookings.csv");
        Files.writeString(
                manifest,
                "booking_id,photo,booking_date,agency,source_system,purge_at,purge_on_request\n"
                        + "B-1001,franck_01829.jpg,2025-03-02,County Sheriff,JMS-7,2032-01-01,\n"
                        + "B-1002,cage.jpg,2024-11-20,County Sheriff,JMS-7,,true\n"
                        + "B-1003,audrey.jpg,2023-06-01,City Police,RMS,2031-06-01,\n"
                        + "B-1004,missing.jpg,2023-06-01,City Police,RMS,,true\n"
                        + "B-1005,cage.jpg,not-a-date,City Police,RMS,,true\n");
        try (MilvusTestServer server = MilvusTestServer.start()) {
            Map<String, String> settings = new HashMap<>();
            settings.put(WatchlistSettings.WATCHLIST_BACKEND, "milvus");
            settings.put(WatchlistSettings.MILVUS_URI, server.uri());
            settings.put(WatchlistSettings.MILVUS_COLLECTION, "vigil_watchlist");
            settings.put(GallerySettings.GALLERY_BACKEND, "milvus");
            settings.put(GallerySettings.GALLERY_FACES_DIR, work.resolve("faces").toString());
            GallerySettings gallery = new GallerySettings(settings);

            JobExecutionResult first = run(settings, manifest, photos, work.resolve("report-1"));
            assertThat(server.rows(gallery.milvusCollection())).isEqualTo(3);
            assertThat(counter(first, "gallery-rows-imported")).isEqualTo(3);
            assertThat(counter(first, "gallery-rows-rejected")).isEqualTo(2);
            Map<String, JsonNode> byId = report(work.resolve("report-1"));
            assertThat(byId).hasSize(5);
            assertThat(byId.get("B-1001").path("status").asText()).isEqualTo("IMPORTED");
            assertThat(byId.get("B-1004").path("reasons").get(0).asText())
                    .isEqualTo("UNREADABLE_IMAGE");
            assertThat(byId.get("B-1005").path("reasons").get(0).asText())
                    .startsWith("MANIFEST_ERROR");
            assertThat(byId.get("B-1005").path("line").asInt()).isEqualTo(6);

            // A rerun (the job restarted, or the manifest grew) imports only what is missing.
            JobExecutionResult again = run(settings, manifest, photos, work.resolve("report-2"));
            assertThat(counter(again, "gallery-rows-imported")).isZero();
            assertThat(counter(again, "gallery-rows-already-imported")).isEqualTo(3);
            assertThat(server.rows(gallery.milvusCollection())).isEqualTo(3);

            try (GalleryAccess access =
                    GalleryAccess.open(
                            new ModelSettings(settings),
                            gallery,
                            new WatchlistSettings(settings))) {
                InvestigationSearch.Result r =
                        access.search(
                                        (actor, from) -> 0,
                                        AuditLog.logging(),
                                        Clock.systemUTC(),
                                        null)
                                .search(
                                        "det-jones",
                                        "CASE-2026-0413",
                                        "fraud",
                                        Files.readAllBytes(AssetPaths.media("cage2_crop.jpg")),
                                        5,
                                        null);
                assertThat(r.candidates()).isNotEmpty();
                assertThat(r.candidates().get(0).booking().bookingId()).isEqualTo("B-1002");
            }

            Map<String, String> embedded = new HashMap<>(settings);
            embedded.put(GallerySettings.GALLERY_BACKEND, "lucene");
            assertThatThrownBy(
                            () ->
                                    new GalleryImportJob(
                                            embedded,
                                            manifest,
                                            photos,
                                            "clerk",
                                            5,
                                            new ReportFileSink(work.resolve("r"))))
                    .hasMessageContaining(GallerySettings.GALLERY_BACKEND);
        }
    }

    private static JobExecutionResult run(
            Map<String, String> settings, Path manifest, Path photos, Path report)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        return new GalleryImportJob(
                        settings, manifest, photos, "clerk", 5, new ReportFileSink(report))
                .execute(env);
    }

    private static long counter(JobExecutionResult r, String name) {
        return LocalStack.counter(r.getAllAccumulatorResults(), name);
    }

    private static Map<String, JsonNode> report(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        Map<String, JsonNode> out = new HashMap<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            out.put(n.path("bookingId").asText(), n);
        }
        return out;
    }
}
