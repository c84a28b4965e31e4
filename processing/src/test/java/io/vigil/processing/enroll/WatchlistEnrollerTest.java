package io.vigil.processing.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.matching.LuceneVectorIndex;
import io.vigil.processing.config.AssetPaths;
import io.vigil.processing.face.DetectorSettings;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchlistEnrollerTest {

    @Test
    void enrollsOneFacePerPhotoReportsUnusablePhotosAndDoesNotDuplicate(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("photos");
        Files.createDirectories(photos.resolve("person-a"));
        Files.createDirectories(photos.resolve("person-b"));
        Files.copy(AssetPaths.media("cage.jpg"), photos.resolve("person-a/1.jpg"));
        Files.copy(AssetPaths.media("cage2_crop.jpg"), photos.resolve("person-a/2.jpg"));
        Files.write(photos.resolve("person-b/broken.jpg"), new byte[] {1, 2, 3});
        Instant now = Instant.parse("2026-11-22T00:00:00Z");
        EnrollmentRequest req = new EnrollmentRequest("analyst-1", "CASE-9", now.plus(Duration.ofDays(30)));
        try (FaceAnalyzer analyzer = new FaceAnalyzer(FaceModels.defaults(AssetPaths.root()), DetectorSettings.defaults(), InferenceOptions.cpu(1));
                LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            WatchlistEnroller enroller = new WatchlistEnroller(analyzer, index, Clock.fixed(now, ZoneOffset.UTC));
            EnrollmentReport first = enroller.enrollFolder(photos, req);
            assertThat(first.indexedFaces()).isEqualTo(2);
            assertThat(first.entries()).isEqualTo(1);
            assertThat(first.photos()).filteredOn(p -> p.externalId().equals("person-b"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.unindexed()).containsExactly(EnrollmentReport.UnindexedReason.UNREADABLE_IMAGE));
            enroller.enrollFolder(photos, req);
            assertThat(index.faceCount()).isEqualTo(2);

            EnrollmentRequest tooLong = new EnrollmentRequest("analyst-1", "CASE-9", now.plus(Duration.ofDays(400)));
            assertThatThrownBy(() -> enroller.enrollFolder(photos, tooLong)).hasMessageContaining("365 days");
        }
    }
}
