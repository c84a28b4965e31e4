package io.vigil.processing.enroll;

import io.vigil.matching.VectorIndex;
import io.vigil.matching.WatchlistEntry;
import io.vigil.processing.face.AnalyzedFace;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Enrolls a folder of photos, {@code <external-id>/<photo>.jpg|png}, through the same detector and
 * embedder the pipeline uses. One face per photo (the largest); only embeddings and metadata are
 * stored, never the photos. Ids are derived from content, so enrolling the same photo for the same
 * person twice does not duplicate it.
 */
public final class WatchlistEnroller {
    private final FaceAnalyzer analyzer;
    private final VectorIndex index;
    private final Clock clock;

    public WatchlistEnroller(FaceAnalyzer analyzer, VectorIndex index, Clock clock) {
        this.analyzer = analyzer;
        this.index = index;
        this.clock = clock;
    }

    public EnrollmentReport enrollFolder(Path folder, EnrollmentRequest request) {
        Instant now = clock.instant();
        request.validateAt(now);
        List<EnrollmentReport.PhotoResult> results = new ArrayList<>();
        try (Stream<Path> people = Files.list(folder)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                String externalId = person.getFileName().toString();
                WatchlistEntry entry =
                        new WatchlistEntry(
                                entryId(externalId, analyzer.embedderId()),
                                externalId,
                                request.enrolledBy(),
                                now,
                                request.legalBasis(),
                                request.expiresAt(),
                                analyzer.embedderId());
                try (Stream<Path> photos = Files.list(person)) {
                    for (Path photo : photos.filter(WatchlistEnroller::isImage).sorted().toList()) {
                        results.add(enrollPhoto(entry, photo));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read watchlist folder " + folder, e);
        }
        index.commit();
        return new EnrollmentReport(results);
    }

    private EnrollmentReport.PhotoResult enrollPhoto(WatchlistEntry entry, Path photo) throws IOException {
        byte[] bytes = Files.readAllBytes(photo);
        String name = photo.getFileName().toString();
        RgbImage img;
        try {
            img = RgbImage.decode(bytes);
        } catch (IOException e) {
            return new EnrollmentReport.PhotoResult(
                    entry.externalId(), name, 0, List.of(EnrollmentReport.UnindexedReason.UNREADABLE_IMAGE));
        }
        List<AnalyzedFace> faces = new ArrayList<>(analyzer.analyze(img));
        if (faces.isEmpty()) {
            return new EnrollmentReport.PhotoResult(
                    entry.externalId(), name, 0, List.of(EnrollmentReport.UnindexedReason.NO_FACE_DETECTED));
        }
        faces.sort(Comparator.comparingDouble((AnalyzedFace f) -> f.box().area()).reversed());
        index.upsert(entry, faceId(entry, bytes), faces.get(0).embedding());
        List<EnrollmentReport.UnindexedReason> skipped = new ArrayList<>();
        for (int i = 1; i < faces.size(); i++) {
            skipped.add(EnrollmentReport.UnindexedReason.EXCEEDS_MAX_FACES);
        }
        return new EnrollmentReport.PhotoResult(entry.externalId(), name, 1, skipped);
    }

    static String entryId(String externalId, String modelId) {
        return UUID.nameUUIDFromBytes((externalId + '|' + modelId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String faceId(WatchlistEntry entry, byte[] photo) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(entry.entryId().getBytes(StandardCharsets.UTF_8));
            md.update(photo);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
