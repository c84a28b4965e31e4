package io.vigil.watchlist.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.index.WatchlistEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryRecordTest {

    @Test
    void aRecordRoundTripsThroughItsIndexEntryWithItsRetention() {
        GalleryRecord dated =
                new GalleryRecord(
                        "B-1",
                        LocalDate.parse("2025-03-02"),
                        "City Police, North",
                        "RMS",
                        Instant.parse("2031-01-01T00:00:00Z"),
                        false,
                        "P-77");
        WatchlistEntry e = dated.toEntry("clerk", Instant.EPOCH, "model-1");
        assertThat(e.purposes()).containsExactly(GalleryRecord.PURPOSE);
        assertThat(e.expiresAt()).isEqualTo(dated.purgeAt());
        assertThat(GalleryRecord.fromEntry(e)).isEqualTo(dated);
        assertThat(dated.isOf("P-77")).isTrue();
        assertThat(dated.isOf("P-78")).isFalse();
        GalleryRecord onRequest =
                new GalleryRecord("B-2", LocalDate.parse("2025-03-02"), "A", "S", null, true, null);
        assertThat(onRequest.personId()).isEmpty();
        assertThat(onRequest.isOf("")).as("a booking without a person is nobody's").isFalse();
        assertThat(GalleryRecord.fromEntry(onRequest.toEntry("clerk", Instant.EPOCH, "m")))
                .isEqualTo(onRequest);
        assertThat(GalleryRecord.entryId("B-1", "model-1"))
                .isEqualTo(e.entryId())
                .isNotEqualTo(GalleryRecord.entryId("B-1", "model-2"));
    }

    @Test
    void retentionIsADateOrOnRequestAndIdsAreChecked() {
        assertThatThrownBy(
                        () -> new GalleryRecord("B-1", LocalDate.EPOCH, "A", "S", null, false, ""))
                .hasMessageContaining("purge_at");
        assertThatThrownBy(
                        () ->
                                new GalleryRecord(
                                        "B-1", LocalDate.EPOCH, "A", "S", Instant.EPOCH, true, ""))
                .hasMessageContaining("purge_on_request");
        assertThatThrownBy(
                        () -> new GalleryRecord("../x", LocalDate.EPOCH, "A", "S", null, true, ""))
                .hasMessageContaining("booking_id");
        assertThatThrownBy(
                        () ->
                                new GalleryRecord(
                                        "B-1", LocalDate.EPOCH, "A", "S", null, true, "a b"))
                .hasMessageContaining("person_id");
    }

    @Test
    void aWatchlistDirectoryIsNeverOpenedAsAGallery(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("segments_1"), "");
        assertThatThrownBy(() -> Gallery.open(dir, dir.resolve("faces")))
                .hasMessageContaining("holds a watchlist");
        assertThat(Gallery.isGallery(dir)).isFalse();
    }
}
