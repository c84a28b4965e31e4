package io.vigil.local.bench;

import io.vigil.local.LocalCommandLine;
import io.vigil.local.eval.FieldScenes;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.TileLayout;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.settings.ModelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil bench-detect}: what finding small faces costs per frame. For each frame size and
 * each smallest face to find ({@code vigil.detect.tile.min.face.px}; 0 is the whole frame only),
 * the tile layout's detector runs per frame and the measured milliseconds per frame of {@link
 * FaceAnalyzer#detectFaces} on a real street photo at that resolution, with the ratio to the
 * whole-frame pass measured in the same run.
 */
public final class DetectBench {
    static final int[][] SIZES = {{1280, 720}, {1920, 1080}, {3840, 2160}};
    static final int[] MIN_FACES = {0, 64, 48, 40, 32, 24};

    private DetectBench() {}

    @Command(
            name = "vigil bench-detect",
            description = "Detection ms per 720p/1080p/4K frame for each tile layout.")
    static final class Args {
        @Option(names = "--frames", paramLabel = "N", description = "Frames per row (20).")
        int frames = 20;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A model setting.")
        Map<String, String> overrides = new HashMap<>();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "This help.")
        boolean help;
    }

    public static void main(String[] args) throws IOException {
        Args a = LocalCommandLine.parseOrExit(new Args(), args);
        int frames = a.frames;
        Map<String, String> overrides = a.overrides;
        ModelSettings base = ModelSettings.load(null, System.getenv(), overrides);
        RgbImage street = street();
        System.out.printf(
                Locale.ROOT,
                "Detection cost per frame: %s, %d frames per row, %d intra-op thread(s), %d"
                        + " cores%n",
                base.resolve().detector().id(),
                frames,
                base.inferenceOptions().intraOpThreads(),
                Runtime.getRuntime().availableProcessors());
        System.out.println(HEADER);
        for (int[] size : SIZES) {
            for (Row r : measure(overrides, street, size[0], size[1], MIN_FACES, frames)) {
                System.out.println(r.markdown());
            }
        }
    }

    /** One tile layout's cost on one frame size. */
    public record Row(
            int width,
            int height,
            int minFace,
            int tiles,
            int runs,
            double msPerFrame,
            double vsWholeFrame,
            int wholeFrameMinFace) {
        String markdown() {
            return String.format(
                    Locale.ROOT,
                    "| %dx%d | %s | %d | %d | %.1f | %.1f× | %d |",
                    width,
                    height,
                    minFace == 0 ? "whole frame only" : Integer.toString(minFace),
                    tiles,
                    runs,
                    msPerFrame,
                    vsWholeFrame,
                    wholeFrameMinFace);
        }
    }

    /**
     * Detection cost of each smallest face to find (0 first: the whole-frame pass, the baseline of
     * the ratios) on a real photo scaled to the frame size; layouts that need no tiles are left
     * out.
     */
    static List<Row> measure(
            Map<String, String> overrides,
            RgbImage photo,
            int width,
            int height,
            int[] minFaces,
            int frames) {
        RgbImage frame = FieldScenes.background(photo, width, height);
        List<Row> rows = new ArrayList<>();
        double whole = 0;
        for (int minFace : minFaces) {
            Map<String, String> o = new HashMap<>(overrides);
            o.put(ModelSettings.DETECT_TILE_MIN_FACE_PX, Integer.toString(minFace));
            ModelSettings c = ModelSettings.load(null, System.getenv(), o);
            try (FaceAnalyzer a =
                    new FaceAnalyzer(c.resolve(), c.detectorSettings(), c.inferenceOptions())) {
                TileLayout layout = a.layout(width, height);
                if (minFace > 0 && layout.tiles().isEmpty()) {
                    continue;
                }
                double ms = msPerFrame(a, frame, frames);
                if (minFace == 0) {
                    whole = ms;
                }
                rows.add(
                        new Row(
                                width,
                                height,
                                minFace,
                                layout.tiles().size(),
                                layout.runs(),
                                ms,
                                ms / whole,
                                layout.wholeFrameMinFace()));
            }
        }
        return rows;
    }

    static final String HEADER =
            "| frame | smallest face (px) | tiles | detector runs | ms per frame | vs whole frame |"
                    + " whole-frame pass finds from (px) |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|";

    /** The street photo the cost is measured on. */
    static RgbImage street() throws IOException {
        return RgbImage.decode(
                Files.readAllBytes(AssetPaths.root().resolve("backgrounds/leuvenA.jpg")));
    }

    /** Milliseconds per frame after a warm-up of as many frames. */
    static double msPerFrame(FaceAnalyzer a, RgbImage frame, int frames) {
        List<Object> sink = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            sink.add(a.detectFaces(frame));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            sink.add(a.detectFaces(frame));
        }
        double ms = (System.nanoTime() - t0) / 1e6 / frames;
        return sink.isEmpty() ? Double.NaN : ms;
    }
}
