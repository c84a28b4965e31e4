package io.vigil.watchlist;

import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Bulk enrolment of a folder laid out as {@code <external-id>/<photo>.jpg|png}, one person per
 * folder.
 */
public final class WatchlistEnroller {
    private final WatchlistService service;

    public WatchlistEnroller(WatchlistService service) {
        this.service = service;
    }

    public List<EnrollmentReport> enrollFolder(
            Path folder,
            String enrolledBy,
            String legalBasis,
            Instant expiresAt,
            QualityFilter quality,
            List<String> purposes,
            List<String> cameras) {
        List<EnrollmentReport> reports = new ArrayList<>();
        try (Stream<Path> people = Files.list(folder)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                List<Enrollment.Photo> photos = photos(person);
                if (!photos.isEmpty()) {
                    reports.add(
                            service.enroll(
                                    new Enrollment(
                                            person.getFileName().toString(),
                                            photos,
                                            enrolledBy,
                                            legalBasis,
                                            expiresAt,
                                            1,
                                            quality,
                                            purposes,
                                            cameras)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read watchlist folder " + folder, e);
        }
        return reports;
    }

    /** The image files of a folder, or the file itself, as photos. */
    public static List<Enrollment.Photo> photos(Path pathOrFolder) throws IOException {
        List<Path> files;
        if (Files.isDirectory(pathOrFolder)) {
            try (Stream<Path> s = Files.list(pathOrFolder)) {
                files = s.filter(RgbImage::isPhotoFile).sorted().toList();
            }
        } else {
            files = List.of(pathOrFolder);
        }
        List<Enrollment.Photo> photos = new ArrayList<>();
        for (Path f : files) {
            photos.add(new Enrollment.Photo(f.getFileName().toString(), Files.readAllBytes(f)));
        }
        return photos;
    }
}
