package io.vigil.watchlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.index.SearchFilter;
import io.vigil.index.WatchlistEntry;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.UnindexedReason;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real models on real photos of the sample media. */
class WatchlistServiceTest {
    static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    static FaceAnalyzer analyzer;
    LuceneVectorIndex index;
    WatchlistService service;
    final List<String> audit = new ArrayList<>();
    final MutableClock clock = new MutableClock();
    @TempDir Path refs;
    ReferenceFaces references;

    /** Every file under the reference store: what a purge must leave empty. */
    List<Path> referenceFiles() throws Exception {
        try (var s = Files.walk(refs)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @BeforeAll
    static void loadModels() {
        analyzer =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1));
    }

    @AfterAll
    static void closeModels() {
        analyzer.close();
    }

    @BeforeEach
    void open() {
        index = LuceneVectorIndex.inMemory();
        references = new ReferenceFaces(refs);
        service =
                new WatchlistService(
                        analyzer,
                        index,
                        references,
                        Duration.ofDays(365),
                        e ->
                                audit.add(
                                        e.getType()
                                                + " "
                                                + e.getActor()
                                                + " "
                                                + (e.getExternalId() == null
                                                        ? "*"
                                                        : e.getExternalId())),
                        clock);
    }

    @AfterEach
    void close() {
        index.close();
    }

    static Enrollment.Photo photo(String media) throws Exception {
        return new Enrollment.Photo(media, Files.readAllBytes(AssetPaths.media(media)));
    }

    static Enrollment enrollment(
            String id, List<Enrollment.Photo> photos, QualityFilter q, int maxFaces) {
        return new Enrollment(
                id,
                photos,
                "analyst-1",
                "CASE-9",
                NOW.plus(Duration.ofDays(30)),
                maxFaces,
                q,
                List.of("missing persons"));
    }

    @Test
    void enrollsSeveralPhotosReportsUnusableOnesAndDoesNotDuplicate() throws Exception {
        Enrollment req =
                enrollment(
                        "nicolas.cage",
                        List.of(
                                photo("cage.jpg"),
                                photo("cage2_crop.jpg"),
                                new Enrollment.Photo("broken.jpg", new byte[] {1, 2, 3})),
                        QualityFilter.LOW,
                        1);

        EnrollmentReport first = service.enroll(req);

        assertThat(first.created()).isTrue();
        assertThat(first.indexedFaces()).isEqualTo(2);
        assertThat(first.photos().get(2).unindexed())
                .singleElement()
                .satisfies(
                        u ->
                                assertThat(u.reasons())
                                        .containsExactly(UnindexedReason.UNREADABLE_IMAGE));
        EnrollmentReport second = service.enroll(req);
        assertThat(second.created()).isFalse();
        assertThat(index.faceCount()).isEqualTo(2);
        assertThat(service.show("nicolas.cage", "analyst-2").orElseThrow().faceIds()).hasSize(2);
        assertThat(audit)
                .containsExactly(
                        "WATCHLIST_ENROLL analyst-1 nicolas.cage",
                        "WATCHLIST_ADD_PHOTOS analyst-1 nicolas.cage",
                        "WATCHLIST_SHOW analyst-2 nicolas.cage");
    }

    @Test
    void aChangeThatCannotBeAuditedDoesNotHappen() throws Exception {
        WatchlistService failing =
                new WatchlistService(
                        analyzer,
                        index,
                        references,
                        Duration.ofDays(365),
                        e -> {
                            throw new IllegalStateException("audit topic unreachable");
                        },
                        clock);
        Enrollment cage =
                enrollment("nicolas.cage", List.of(photo("cage.jpg")), QualityFilter.LOW, 1);
        assertThatThrownBy(() -> failing.enroll(cage)).hasMessageContaining("audit topic");
        assertThat(index.faceCount()).isZero();
        assertThat(index.entries()).isEmpty();
        assertThat(referenceFiles()).isEmpty();

        service.enroll(cage);
        assertThat(index.faceCount()).isEqualTo(1);
        assertThatThrownBy(() -> failing.remove("nicolas.cage", "admin-1", "court order"))
                .hasMessageContaining("audit topic");
        assertThat(index.faceCount()).isEqualTo(1);
        clock.now = NOW.plus(Duration.ofDays(31));
        assertThatThrownBy(() -> failing.expire("system")).hasMessageContaining("audit topic");
        assertThat(index.faceCount()).isEqualTo(1);
        assertThat(service.expire("system")).isEqualTo(1);
        assertThat(index.faceCount()).isZero();
    }

    @Test
    void aDecompressionBombIsUnreadableAndEnrolsNothing() throws Exception {
        EnrollmentReport r =
                service.enroll(
                        enrollment(
                                "bomb",
                                List.of(
                                        new Enrollment.Photo(
                                                "bomb.jpg",
                                                io.vigil.vision.face.ImageDecodingTest.bomb(
                                                        25_000, 25_000))),
                                QualityFilter.LOW,
                                1));
        assertThat(r.indexedFaces()).isZero();
        assertThat(r.photos().get(0).unindexed())
                .singleElement()
                .satisfies(
                        u ->
                                assertThat(u.reasons())
                                        .containsExactly(UnindexedReason.UNREADABLE_IMAGE));
        assertThat(index.faceCount()).isZero();
    }

    @Test
    void qualityFilterAndMaxFacesDecideWhichFacesAreIndexedWithReasons() throws Exception {
        // A frame of the sample video: a real, smaller and softer face than a portrait.
        Enrollment.Photo small = new Enrollment.Photo("small.jpg", downscaled("cage.jpg", 6));

        EnrollmentReport strict =
                service.enroll(enrollment("strict", List.of(small), QualityFilter.HIGH, 1));
        assertThat(strict.indexedFaces()).isZero();
        assertThat(strict.photos().get(0).unindexed())
                .singleElement()
                .satisfies(
                        u -> assertThat(u.reasons()).contains(UnindexedReason.SMALL_BOUNDING_BOX));
        assertThat(index.entry(WatchlistService.entryId("strict", service.modelId()))).isEmpty();

        EnrollmentReport lenient =
                service.enroll(enrollment("lenient", List.of(small), QualityFilter.NONE, 1));
        assertThat(lenient.indexedFaces()).isEqualTo(1);

        Enrollment.Photo twoPeople =
                new Enrollment.Photo("two.jpg", sideBySide("cage.jpg", "audrey.jpg"));
        EnrollmentReport one =
                service.enroll(enrollment("one-of-two", List.of(twoPeople), QualityFilter.LOW, 1));
        assertThat(one.indexedFaces()).isEqualTo(1);
        assertThat(one.photos().get(0).unindexed())
                .singleElement()
                .satisfies(
                        u ->
                                assertThat(u.reasons())
                                        .containsExactly(UnindexedReason.EXCEEDS_MAX_FACES));
        EnrollmentReport both =
                service.enroll(enrollment("both-of-two", List.of(twoPeople), QualityFilter.LOW, 2));
        assertThat(both.indexedFaces()).isEqualTo(2);
        assertThat(both.photos().get(0).indexed())
                .extracting(EnrollmentReport.IndexedFace::faceId)
                .doesNotHaveDuplicates();
    }

    @Test
    void removalAndExpiryTakeEffectOnTheNextSearch() throws Exception {
        service.enroll(
                enrollment("nicolas.cage", List.of(photo("cage.jpg")), QualityFilter.MEDIUM, 1));
        float[] probe =
                analyzer.analyze(
                                RgbImage.decode(
                                        Files.readAllBytes(AssetPaths.media("cage2_crop.jpg"))))
                        .get(0)
                        .embedding();
        assertThat(
                        index.search(
                                probe,
                                1,
                                new SearchFilter(
                                        service.modelId(), NOW, Set.of("missing persons"))))
                .hasSize(1);

        // The reviewer's references: an aligned crop and a wider one, beside the entry only.
        String entryId = WatchlistService.entryId("nicolas.cage", service.modelId());
        String faceId = index.entry(entryId).orElseThrow().faceIds().get(0);
        RgbImage aligned =
                RgbImage.decode(
                        references.get(entryId, faceId, ReferenceFaces.Kind.ALIGNED).orElseThrow());
        assertThat(aligned.width()).isEqualTo(112);
        RgbImage wide =
                RgbImage.decode(
                        references.get(entryId, faceId, ReferenceFaces.Kind.WIDE).orElseThrow());
        assertThat(Math.max(wide.width(), wide.height())).isBetween(100, 320);
        assertThat(referenceFiles()).hasSize(2);

        assertThatThrownBy(() -> service.remove("nicolas.cage", "analyst-1", " "))
                .hasMessageContaining("reason");
        assertThat(referenceFiles()).as("a refused removal keeps them").hasSize(2);
        assertThat(service.remove("nicolas.cage", "analyst-1", "case closed")).isEqualTo(1);
        assertThat(
                        index.search(
                                probe,
                                1,
                                new SearchFilter(
                                        service.modelId(), NOW, Set.of("missing persons"))))
                .isEmpty();
        assertThat(service.remove("nicolas.cage", "analyst-1", "again")).isZero();
        assertThat(referenceFiles()).as("removed with the entry").isEmpty();
        assertThat(references.entries()).isEmpty();

        service.enroll(
                enrollment("nicolas.cage", List.of(photo("cage.jpg")), QualityFilter.MEDIUM, 1));
        clock.now = NOW.plus(Duration.ofDays(31));
        assertThat(
                        index.search(
                                probe,
                                1,
                                new SearchFilter(
                                        service.modelId(), clock.now, Set.of("missing persons"))))
                .isEmpty();
        assertThat(referenceFiles()).hasSize(2);
        assertThat(service.expire("scheduler")).isEqualTo(1);
        assertThat(service.list("analyst-1")).isEmpty();
        assertThat(referenceFiles()).as("purged with the expired entry").isEmpty();
        // Faces left by an interrupted removal are swept at the next expiry run.
        references.put(
                "orphan-entry", "orphan-face", new ReferenceFaces.Images(new byte[1], new byte[1]));
        service.expire("scheduler");
        assertThat(referenceFiles()).isEmpty();
        assertThat(audit)
                .contains(
                        "WATCHLIST_REMOVE analyst-1 nicolas.cage", "WATCHLIST_EXPIRE scheduler *");
    }

    @Test
    void requestsAreValidatedWithMessagesNamingTheProblem() throws Exception {
        List<Enrollment.Photo> one = List.of(photo("cage.jpg"));
        assertThatThrownBy(
                        () ->
                                service.enroll(
                                        new Enrollment(
                                                "x",
                                                one,
                                                "a",
                                                "CASE",
                                                NOW.plus(Duration.ofDays(400)),
                                                1,
                                                QualityFilter.LOW,
                                                List.of("missing persons"))))
                .hasMessageContaining("365 days");
        assertThatThrownBy(
                        () ->
                                service.enroll(
                                        new Enrollment(
                                                "x",
                                                one,
                                                "a",
                                                "CASE",
                                                NOW.minusSeconds(1),
                                                1,
                                                QualityFilter.LOW,
                                                List.of("missing persons"))))
                .hasMessageContaining("not in the future");
        assertThatThrownBy(
                        () ->
                                new Enrollment(
                                        "x",
                                        List.of(),
                                        "a",
                                        "CASE",
                                        NOW,
                                        1,
                                        QualityFilter.LOW,
                                        List.of("missing persons")))
                .hasMessageContaining("at least one photo");
        assertThatThrownBy(
                        () ->
                                new Enrollment(
                                        "x",
                                        one,
                                        "a",
                                        " ",
                                        NOW,
                                        1,
                                        QualityFilter.LOW,
                                        List.of("missing persons")))
                .hasMessageContaining("legalBasis");
        assertThatThrownBy(
                        () ->
                                service.enroll(
                                        new Enrollment(
                                                "bad id!",
                                                one,
                                                "a",
                                                "CASE",
                                                NOW.plusSeconds(60),
                                                1,
                                                QualityFilter.LOW,
                                                List.of("missing persons"))))
                .hasMessageContaining("externalId");
        service.enroll(enrollment("p", one, QualityFilter.LOW, 1));
        assertThatThrownBy(
                        () ->
                                service.enroll(
                                        new Enrollment(
                                                "p",
                                                one,
                                                "a",
                                                "OTHER-CASE",
                                                NOW.plusSeconds(60),
                                                1,
                                                QualityFilter.LOW,
                                                List.of("missing persons"))))
                .hasMessageContaining("remove it and enrol again");
    }

    static byte[] downscaled(String media, int factor) throws Exception {
        java.awt.image.BufferedImage src =
                javax.imageio.ImageIO.read(AssetPaths.media(media).toFile());
        java.awt.image.BufferedImage dst =
                new java.awt.image.BufferedImage(
                        src.getWidth() / factor,
                        src.getHeight() / factor,
                        java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = dst.createGraphics();
        g.drawImage(src, 0, 0, dst.getWidth(), dst.getHeight(), null);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(dst, "jpg", out);
        return out.toByteArray();
    }

    static byte[] sideBySide(String left, String right) throws Exception {
        java.awt.image.BufferedImage a =
                javax.imageio.ImageIO.read(AssetPaths.media(left).toFile());
        java.awt.image.BufferedImage b =
                javax.imageio.ImageIO.read(AssetPaths.media(right).toFile());
        java.awt.image.BufferedImage dst =
                new java.awt.image.BufferedImage(
                        a.getWidth() + b.getWidth(),
                        Math.max(a.getHeight(), b.getHeight()),
                        java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = dst.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(dst, "jpg", out);
        return out.toByteArray();
    }

    static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void erasureRemovesThePersonUnderEveryModelAuditsFirstAndIssuesAReceipt() throws Exception {
        service.enroll(
                enrollment("nicolas.cage", List.of(photo("cage.jpg")), QualityFilter.LOW, 1));
        // The same person enrolled under an earlier embedder: an entry of its own.
        index.upsert(
                new WatchlistEntry(
                        "old-model-entry",
                        "nicolas.cage",
                        "analyst-0",
                        NOW.minus(Duration.ofDays(10)),
                        "CASE-1",
                        NOW.plus(Duration.ofDays(10)),
                        "earlier-embedder",
                        List.of("missing persons")),
                "old-face",
                new float[] {1, 0, 0, 0});
        index.commit();
        service.enroll(
                enrollment("someone.else", List.of(photo("audrey.jpg")), QualityFilter.LOW, 1));
        audit.clear();

        ErasureReceipt r = service.erase("nicolas.cage", "dpo-1", "request 12", "lucene:test");
        assertThat(r.entries())
                .extracting(ErasureReceipt.ErasedEntry::modelId)
                .containsExactlyInAnyOrder(service.modelId(), "earlier-embedder");
        assertThat(r.facesRemoved()).isEqualTo(2);
        assertThat(r.referenceBytes()).isPositive();
        assertThat(r.verifiedAbsent()).isTrue();
        assertThat(references.entries())
                .containsExactly(WatchlistService.entryId("someone.else", service.modelId()));
        assertThat(audit).containsExactly("PERSON_ERASED dpo-1 nicolas.cage");
        assertThat(index.entries())
                .extracting(e -> e.entry().externalId())
                .containsExactly("someone.else");
        assertThat(service.erase("nobody", "dpo-1", "request 13", "lucene:test").entries())
                .isEmpty();
        assertThatThrownBy(() -> service.erase("someone.else", "dpo-1", " ", "lucene:test"))
                .hasMessageContaining("reason");
        assertThat(index.entries()).hasSize(1);
    }

    @Test
    void anEntryMayNameTheCamerasItIsMatchedOnAuditedAndKeptWithItsPhotos() throws Exception {
        Enrollment north =
                new Enrollment(
                        "nicolas.cage",
                        List.of(photo("cage.jpg")),
                        "alice",
                        "WARRANT-3 (north district)",
                        NOW.plus(Duration.ofDays(10)),
                        1,
                        QualityFilter.LOW,
                        List.of("wanted persons"),
                        List.of("cam-north-2", "cam-north-1"));
        List<io.vigil.schemas.AuditEvent> events = new ArrayList<>();
        WatchlistService service =
                new WatchlistService(
                        analyzer, index, references, Duration.ofDays(365), events::add, clock);
        service.enroll(north);
        WatchlistEntry e =
                index.entry(WatchlistService.entryId("nicolas.cage", service.modelId()))
                        .orElseThrow()
                        .entry();
        assertThat(e.cameras()).containsExactly("cam-north-1", "cam-north-2");
        assertThat(events.get(0).getDetails()).containsEntry("cameras", "cam-north-1,cam-north-2");
        // More photos must keep the restriction: a change is a new enrolment.
        assertThatThrownBy(
                        () ->
                                service.enroll(
                                        new Enrollment(
                                                "nicolas.cage",
                                                List.of(photo("cage2_crop.jpg")),
                                                "alice",
                                                "WARRANT-3 (north district)",
                                                NOW.plus(Duration.ofDays(10)),
                                                1,
                                                QualityFilter.LOW,
                                                List.of("wanted persons"))))
                .hasMessageContaining("cameras [cam-north-1, cam-north-2]")
                .hasMessageContaining("enrol again");
    }
}
