package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.common.audit.AuditLog;
import io.vigil.index.milvus.MilvusTestServer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.gallery.GalleryImporter;
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
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gallery in Milvus, over real gRPC with the real SDK against the test-side server: booking
 * photos imported with real models, another photo of a booked person ranked first by a range search
 * on the server; no watchlist may use a gallery's collection.
 */
class MilvusGalleryITCase {

    @Test
    void importAndSearchAGalleryInMilvus(@TempDir Path work) throws Exception {
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
                        + "B-1003,audrey.jpg,2023-06-01,City Police,RMS,2031-06-01,\n");
        try (MilvusTestServer server = MilvusTestServer.start()) {
            Map<String, Object> props = new HashMap<>();
            props.put(WatchlistSettings.WATCHLIST_BACKEND, "milvus");
            props.put(WatchlistSettings.MILVUS_URI, server.uri());
            props.put(WatchlistSettings.MILVUS_COLLECTION, "vigil_watchlist");
            props.put(GallerySettings.GALLERY_BACKEND, "milvus");
            props.put(GallerySettings.GALLERY_FACES_DIR, work.resolve("faces").toString());
            GallerySettings gallery = new GallerySettings(props);
            try (GalleryAccess access =
                    GalleryAccess.open(
                            new ModelSettings(props), gallery, new WatchlistSettings(props))) {
                List<GalleryImporter.RowResult> rows = new ArrayList<>();
                GalleryImporter.Progress done =
                        access.importer(QualityFilter.MEDIUM, AuditLog.logging(), Clock.systemUTC())
                                .importAll(manifest, photos, "clerk", 2, rows::add, p -> {});
                assertThat(done.imported()).isEqualTo(3);
                assertThat(server.rows(gallery.milvusCollection())).isEqualTo(3);

                long ranges = server.rangeSearches();
                InvestigationSearch.Result r =
                        access.search(
                                        (actor, from) -> 0,
                                        AuditLog.logging(),
                                        Clock.systemUTC(),
                                        null)
                                .search(
                                        "det-jones",
                                        "CASE-2026-0412",
                                        "fraud",
                                        Files.readAllBytes(AssetPaths.media("cage2_crop.jpg")),
                                        5,
                                        null);
                assertThat(r.candidates()).isNotEmpty();
                assertThat(r.candidates().get(0).booking().bookingId()).isEqualTo("B-1002");
                assertThat(r.candidates().get(0).booking().agency()).isEqualTo("County Sheriff");
                assertThat(server.rangeSearches()).isEqualTo(ranges + 1);
            }
            // No watchlist may be a gallery's collection: the job would match every face on it.
            Map<String, Object> wrong = new HashMap<>(props);
            wrong.put(WatchlistSettings.MILVUS_COLLECTION, gallery.milvusCollection());
            assertThatThrownBy(() -> new WatchlistSettings(wrong))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(WatchlistSettings.MILVUS_COLLECTION)
                    .hasMessageContaining("gallery");
            Map<String, Object> badName = new HashMap<>(props);
            badName.put(GallerySettings.GALLERY_MILVUS_COLLECTION, "bookings");
            assertThatThrownBy(() -> new GallerySettings(badName))
                    .hasMessageContaining(GallerySettings.MILVUS_GALLERY_PREFIX);
        }
    }
}
