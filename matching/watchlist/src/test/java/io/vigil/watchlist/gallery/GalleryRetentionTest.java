package io.vigil.watchlist.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.index.IndexedEntry;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.model.AssetPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gallery's retention and a person's erasure from it, on real booking photos imported by the
 * importer users run: a booking is purged with its face crops once its purge date passes; one past
 * it already is refused at import as that row's result; an erasure takes every booking on record as
 * the person and nothing else.
 */
class GalleryRetentionTest {
    static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void expiredBookingsArePurgedWithTheirCropsAndErasureTakesThePersonsBookings(@TempDir Path tmp)
            throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        for (String f : List.of("franck_01829.jpg", "franck_02221.jpg", "cage.jpg", "audrey.jpg")) {
            Files.copy(AssetPaths.media(f), photos.resolve(f));
        }
        Path manifest = tmp.resolve("bookings.csv");
        Files.writeString(
                manifest,
                "booking_id,photo,booking_date,agency,source_system,purge_at,purge_on_request,"
                        + "person_id\n"
                        + "B-1,franck_01829.jpg,2025-03-02,Sheriff,JMS,2030-01-01,,P-1\n"
                        + "B-2,franck_02221.jpg,2025-09-14,Sheriff,JMS,,true,P-1\n"
                        + "B-3,cage.jpg,2024-11-20,Sheriff,JMS,2026-12-03,,P-2\n"
                        + "B-4,audrey.jpg,2023-06-01,Police,RMS,2026-11-30,,\n");
        List<AuditEvent> audit = new ArrayList<>();
        Map<String, GalleryImporter.RowResult> rows = new HashMap<>();
        Clock atImport = Clock.fixed(T, ZoneOffset.UTC);
        try (Gallery gallery = Gallery.open(tmp.resolve("gallery"), tmp.resolve("faces"));
                FaceAnalyzer analyzer =
                        new FaceAnalyzer(
                                FaceModels.defaults(AssetPaths.root()),
                                DetectorSettings.defaults(),
                                InferenceOptions.cpu(1))) {
            new GalleryImporter(gallery, () -> analyzer, QualityFilter.LOW, audit::add, atImport)
                    .importAll(
                            manifest, photos, "clerk", 1, r -> rows.put(r.bookingId(), r), p -> {});
            assertThat(rows.get("B-4").status()).isEqualTo(GalleryImporter.Status.REJECTED);
            assertThat(rows.get("B-4").reasons().get(0)).startsWith("RETENTION_PASSED");
            assertThat(gallery.index().entries()).hasSize(3);
            String cage = entryOf(gallery, "B-3");
            assertThat(gallery.faces().entries()).contains(cage);

            // A day later nothing is due; three days later B-3's date has passed.
            assertThat(
                            GalleryRetention.purge(
                                            gallery,
                                            audit::add,
                                            "scheduler",
                                            T.plus(Duration.ofDays(1)))
                                    .bookingIds())
                    .isEmpty();
            GalleryRetention.Purged purged =
                    GalleryRetention.purge(
                            gallery, audit::add, "scheduler", T.plus(Duration.ofDays(3)));
            assertThat(purged.bookingIds()).containsExactly("B-3");
            assertThat(purged.faces()).isEqualTo(1);
            assertThat(purged.cropBytes()).isPositive();
            assertThat(gallery.faces().entries()).doesNotContain(cage);
            assertThat(audit.get(audit.size() - 1).getType())
                    .isEqualTo(AuditEventType.GALLERY_PURGE);

            GalleryErasure.Bookings erased =
                    GalleryErasure.eraseBookings(
                            gallery, "P-1", "dpo", "subject request", "r-1", audit::add, atImport);
            assertThat(erased.bookingIds()).containsExactlyInAnyOrder("B-1", "B-2");
            assertThat(erased.facesRemoved()).isEqualTo(2);
            assertThat(erased.verifiedAbsent()).isTrue();
            assertThat(gallery.index().entries()).isEmpty();
            assertThat(gallery.faces().entries()).isEmpty();
            AuditEvent removal = audit.get(audit.size() - 1);
            assertThat(removal.getType()).isEqualTo(AuditEventType.GALLERY_REMOVE);
            assertThat(removal.getDetails()).containsEntry("erasure", "r-1");
            assertThat(
                            GalleryErasure.eraseBookings(
                                            gallery,
                                            "P-9",
                                            "dpo",
                                            "none",
                                            "r-2",
                                            audit::add,
                                            atImport)
                                    .bookingIds())
                    .isEmpty();
        }
    }

    @Test
    void aSearchListsABookingByItsEntryIdInItsAuditedCandidates() {
        assertThat(GalleryErasure.listsAny("e1@1=0.95;e2@2=0.93", java.util.Set.of("e2"))).isTrue();
        assertThat(GalleryErasure.listsAny("e12@1=0.95", java.util.Set.of("e1"))).isFalse();
        assertThat(GalleryErasure.listsAny("none", java.util.Set.of("e1"))).isFalse();
    }

    private static String entryOf(Gallery g, String booking) {
        return g.index().entries().stream()
                .map(IndexedEntry::entry)
                .filter(e -> e.externalId().equals(booking))
                .findFirst()
                .orElseThrow()
                .entryId();
    }
}
