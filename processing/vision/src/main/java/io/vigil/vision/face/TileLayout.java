package io.vigil.vision.face;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a fixed-input detector looks in a frame so that faces down to a given height are found.
 *
 * <p>The whole frame squeezed to the detector's input finds only faces of at least {@code
 * detectorMinFace / scale} pixels: about 96 px in a 1080p frame for a 320x240 detector that needs
 * 16 px faces. Smaller faces are found in overlapping tiles of the frame at a finer scale, each
 * tile resized to the detector's input with its aspect kept. A level of tiles at scale {@code s}
 * finds faces from {@code detectorMinFace / s} up to the smallest face the next coarser pass finds;
 * neighbouring tiles overlap by a quarter more than that, so every face a level is responsible for
 * lies whole inside at least one of its tiles. A face cut by a tile border is dropped from that
 * tile ({@link #cutByInteriorEdge}) and found whole in a neighbour or by a coarser pass, and so is
 * any box larger than the faces the tile is responsible for ({@link Tile#maxFace}). Between the
 * finest level and the whole frame, intermediate levels (each half the scale of the next finer one)
 * are added only where they reduce the number of detector runs, as they do on 4K frames.
 *
 * @param tiles tiles in frame pixels, finest level first; empty when the whole frame suffices
 * @param wholeFrameMinFace the smallest face height the whole-frame pass finds
 */
public record TileLayout(List<Tile> tiles, int wholeFrameMinFace) {

    /** How much more than the largest face a level is responsible for two tiles overlap. */
    static final float OVERLAP_MARGIN = 1.25f;

    /**
     * A tile: its rectangle in frame pixels, the frame-to-input scale it runs at, and the largest
     * face height (frame pixels) it is responsible for; larger faces are a coarser pass's, and a
     * larger box in a tile is most often a part of a face that a tile border cuts.
     */
    public record Tile(int x, int y, int width, int height, float scale, int maxFace) {
        public Box box() {
            return new Box(x, y, x + width, y + height, 0f);
        }
    }

    public TileLayout {
        tiles = List.copyOf(tiles);
    }

    /** Detector runs per frame, the whole-frame pass included. */
    public int runs() {
        return tiles.size() + 1;
    }

    /**
     * The layout for a frame.
     *
     * @param inputWidth detector input width
     * @param inputHeight detector input height
     * @param detectorMinFace the smallest face height, in detector input pixels, the detector finds
     *     reliably (its manifest's {@code params.minFace})
     * @param minFace the smallest face height, in frame pixels, to find; 0 for no tiles. Faces
     *     smaller than {@code detectorMinFace} at native resolution cannot be found: tiles never
     *     enlarge the frame.
     */
    public static TileLayout plan(
            int frameWidth,
            int frameHeight,
            int inputWidth,
            int inputHeight,
            float detectorMinFace,
            int minFace) {
        if (frameWidth <= 0 || frameHeight <= 0 || inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("frame and input sizes must be positive");
        }
        if (detectorMinFace <= 0) {
            throw new IllegalArgumentException("detectorMinFace must be positive");
        }
        float wholeScale =
                Math.min((float) inputWidth / frameWidth, (float) inputHeight / frameHeight);
        int wholeMin = (int) Math.ceil(detectorMinFace / wholeScale);
        if (minFace <= 0 || wholeMin <= minFace) {
            return new TileLayout(List.of(), wholeMin);
        }
        float finest = Math.min(1f, detectorMinFace / minFace);
        if (finest <= wholeScale) {
            return new TileLayout(List.of(), wholeMin);
        }
        Geometry g =
                new Geometry(frameWidth, frameHeight, inputWidth, inputHeight, detectorMinFace);
        List<Tile> tiles = g.cheapest(finest, wholeScale);
        return new TileLayout(tiles, wholeMin);
    }

    private record Geometry(int frameW, int frameH, int inW, int inH, float detMin) {

        /** The fewest tiles covering levels from {@code scale} up to the whole-frame pass. */
        List<Tile> cheapest(float scale, float wholeScale) {
            List<Tile> direct = level(scale, wholeScale);
            float coarser = scale / 2;
            if (coarser <= wholeScale) {
                return direct;
            }
            List<Tile> stacked = new ArrayList<>(level(scale, coarser));
            stacked.addAll(cheapest(coarser, wholeScale));
            return stacked.size() < direct.size() ? stacked : direct;
        }

        /** One level of tiles at {@code scale}, overlapping by what the coarser pass misses. */
        List<Tile> level(float scale, float coarserScale) {
            // Rounded down, so a tile's scale is never under the level's.
            int tileW = Math.min(frameW, (int) (inW / scale));
            int tileH = Math.min(frameH, (int) (inH / scale));
            int overlap = (int) Math.ceil(detMin / coarserScale * OVERLAP_MARGIN);
            // A tile cut to the frame on one side is squeezed less on that side: the smaller scale
            // is the one a face is guaranteed.
            float tileScale = Math.min((float) inW / tileW, (float) inH / tileH);
            List<Integer> xs = starts(frameW, tileW, overlap);
            List<Integer> ys = starts(frameH, tileH, overlap);
            List<Tile> out = new ArrayList<>(xs.size() * ys.size());
            for (int y : ys) {
                for (int x : xs) {
                    out.add(new Tile(x, y, tileW, tileH, tileScale, overlap));
                }
            }
            return out;
        }

        /**
         * Evenly spread starts of tiles of {@code size} over {@code length}, neighbours overlapping
         * by at least {@code overlap} (less only where one tile spans the whole length).
         */
        static List<Integer> starts(int length, int size, int overlap) {
            if (size >= length) {
                return List.of(0);
            }
            int stride = Math.max(1, size - Math.min(overlap, size - 1));
            int n = (int) Math.ceil((double) (length - size) / stride) + 1;
            List<Integer> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add((int) Math.round((double) i * (length - size) / (n - 1)));
            }
            return Collections.unmodifiableList(out);
        }
    }

    /**
     * Whether a box found in a tile touches one of the tile's edges that is not a frame edge: the
     * face may continue in the next tile, so the box may be a part of it.
     */
    public static boolean cutByInteriorEdge(
            Box b, Tile t, int frameWidth, int frameHeight, float margin) {
        return (t.x() > 0 && b.x1() <= t.x() + margin)
                || (t.y() > 0 && b.y1() <= t.y() + margin)
                || (t.x() + t.width() < frameWidth && b.x2() >= t.x() + t.width() - 1 - margin)
                || (t.y() + t.height() < frameHeight && b.y2() >= t.y() + t.height() - 1 - margin);
    }
}
