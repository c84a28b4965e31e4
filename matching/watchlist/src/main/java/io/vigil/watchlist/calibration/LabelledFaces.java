package io.vigil.watchlist.calibration;

import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.UnindexedReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A labelled folder, {@code <person>/<photo>}, turned into one embedding per photo (its largest
 * face that passes the quality gate, the same gate the job applies to camera faces). Photos with no
 * usable face are listed with the reason rather than silently dropped.
 */
public final class LabelledFaces {
    /** One photo's face. */
    public record Face(String person, String photo, float[] embedding, float quality) {}

    /** A photo that gave no face, and why. */
    public record Skipped(String person, String photo, String reason) {}

    /** The faces and the skipped photos of a folder. */
    public record Loaded(List<Face> faces, List<Skipped> skipped) {
        public long people() {
            return faces.stream().map(Face::person).distinct().count();
        }
    }

    private LabelledFaces() {}

    public static Loaded load(FaceAnalyzer analyzer, Path folder, QualityFilter gate)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder of <person>/<photo>");
        }
        List<Face> faces = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path person : list(folder).stream().filter(Files::isDirectory).toList()) {
            String label = person.getFileName().toString();
            for (Path photo : list(person).stream().filter(RgbImage::isPhotoFile).toList()) {
                String name = photo.getFileName().toString();
                RgbImage img;
                try {
                    img = RgbImage.decode(Files.readAllBytes(photo));
                } catch (IOException | RuntimeException e) {
                    skipped.add(new Skipped(label, name, UnindexedReason.UNREADABLE_IMAGE.name()));
                    continue;
                }
                FaceAnalyzer.FrameAnalysis a = analyzer.analyze(img, gate);
                AnalyzedFace largest =
                        a.faces().stream()
                                .max(Comparator.comparingDouble(f -> f.box().area()))
                                .orElse(null);
                if (largest == null) {
                    skipped.add(
                            new Skipped(
                                    label,
                                    name,
                                    a.skipped().isEmpty()
                                            ? UnindexedReason.NO_FACE_DETECTED.name()
                                            : a.skipped().get(0).name()));
                    continue;
                }
                faces.add(new Face(label, name, largest.embedding(), largest.quality().overall()));
            }
        }
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("no usable face in " + folder);
        }
        return new Loaded(faces, skipped);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
