package io.vigil.vision.gate;

import io.vigil.schemas.MotionPreview;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.RegionFilter;
import io.vigil.vision.face.RgbImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one camera's scene changed since its previous frame, so the detector runs only there.
 *
 * <p>Each frame is reduced to a small greyscale copy (one value per 8x8 block, from a quarter of
 * its pixels), and compared with the previous frame's copy after fitting a global gain and offset
 * between the two, so sensor noise (averaged away in the blocks) and lighting drift (absorbed by
 * the fit) do not count as change. A grid cell is changed when enough of its blocks differ by more
 * than a threshold; changed cells and the cells around the faces found in the previous frame are
 * searched, widened by one cell. Every {@link Settings#fullPassIntervalMs} of capture time the
 * whole frame is searched anyway, so a person who stands still is found again, and so is the first
 * frame of a camera, a frame of a new size, and a frame whose capture time runs backwards.
 *
 * <p>The state is a cache: losing it (a restart, a rescale) costs one full pass, never a missed
 * face. It holds no picture of anyone: a blurred 1/8-scale greyscale copy of the last frame and the
 * boxes of its faces, replaced by the next frame. One instance per camera, used by one thread.
 */
public final class MotionGate {
    /** Frame pixels per side of a block of the small copy. */
    static final int BLOCK = MotionPreview.BLOCK;

    /**
     * @param cellPx side of a grid cell, frame pixels (a multiple of 8)
     * @param threshold grey levels (0..255) by which a block must differ from the fit to count
     * @param minBlocks changed blocks that make a cell changed
     * @param fullPassIntervalMs capture time between two whole-frame searches; 0 searches every
     *     frame whole (the gate off)
     */
    public record Settings(int cellPx, int threshold, int minBlocks, long fullPassIntervalMs)
            implements Serializable {
        public Settings {
            if (cellPx < BLOCK || cellPx % BLOCK != 0 || cellPx > 512) {
                throw new IllegalArgumentException(
                        "cellPx must be a multiple of 8 in 8..512, was " + cellPx);
            }
            if (threshold < 1 || threshold > 255) {
                throw new IllegalArgumentException("threshold must be in 1..255, was " + threshold);
            }
            int blocks = (cellPx / BLOCK) * (cellPx / BLOCK);
            if (minBlocks < 1 || minBlocks > blocks) {
                throw new IllegalArgumentException(
                        "minBlocks must be in 1.."
                                + blocks
                                + " for "
                                + cellPx
                                + " px cells, was "
                                + minBlocks);
            }
            if (fullPassIntervalMs < 0) {
                throw new IllegalArgumentException(
                        "fullPassIntervalMs must be >= 0, was " + fullPassIntervalMs);
            }
        }

        public static Settings defaults() {
            return new Settings(32, 10, 2, 4000);
        }

        /** Whether the gate can skip anything. */
        public boolean enabled() {
            return fullPassIntervalMs > 0;
        }
    }

    private final Settings settings;
    private int frameW;
    private int frameH;
    private int smallW;
    private int smallH;
    private byte[] previous;
    private long lastFullPass;
    private long lastCapture;
    private List<Box> recentFaces = List.of();

    public MotionGate(Settings settings) {
        this.settings = settings;
    }

    /** Where to search this frame; call {@link #found} with the faces found. */
    public Activity observe(RgbImage frame, long captureMs) {
        return observe(
                MotionPreview.of(frame.rgb(), frame.width(), frame.height(), false),
                frame.width(),
                frame.height(),
                captureMs);
    }

    /**
     * As {@link #observe(RgbImage, long)}, from the frame's {@link MotionPreview} alone (the
     * producer's, or one computed from its pixels): no pixel of the frame is needed to know where
     * to search it. The gate keeps {@code preview} as its reference; the caller must not change it.
     */
    public Activity observe(byte[] preview, int width, int height, long captureMs) {
        if (preview.length != MotionPreview.length(width, height)) {
            throw new IllegalArgumentException(
                    "a motion preview of a "
                            + width
                            + "x"
                            + height
                            + " frame has "
                            + MotionPreview.length(width, height)
                            + " bytes, not "
                            + preview.length);
        }
        int cell = settings.cellPx();
        int gw = (width + cell - 1) / cell;
        int gh = (height + cell - 1) / cell;
        if (width != frameW || height != frameH) {
            frameW = width;
            frameH = height;
            smallW = MotionPreview.width(width);
            smallH = MotionPreview.height(height);
            previous = null;
            recentFaces = List.of();
        }
        boolean full =
                !settings.enabled()
                        || previous == null
                        || captureMs < lastCapture
                        || captureMs - lastFullPass >= settings.fullPassIntervalMs();
        lastCapture = captureMs;
        Activity activity;
        if (full || smallW == 0 || smallH == 0) {
            lastFullPass = captureMs;
            activity = Activity.whole(gw, gh, cell);
        } else {
            boolean[] changed = changedCells(previous, preview, gw, gh);
            for (Box b : recentFaces) {
                mark(changed, gw, gh, b, b.height());
            }
            activity = new Activity(false, dilate(changed, gw, gh), gw, gh, cell);
        }
        previous = preview;
        return activity;
    }

    /** The faces found in the frame just observed: their areas are searched in the next one. */
    public void found(List<Box> faces) {
        recentFaces = List.copyOf(faces);
    }

    /** Cells where enough blocks differ from the gain-and-offset fit of current on previous. */
    private boolean[] changedCells(byte[] prev, byte[] cur, int gw, int gh) {
        int n = prev.length;
        double sp = 0;
        double sc = 0;
        double spp = 0;
        double spc = 0;
        for (int i = 0; i < n; i++) {
            int p = prev[i] & 0xFF;
            int c = cur[i] & 0xFF;
            sp += p;
            sc += c;
            spp += (double) p * p;
            spc += (double) p * c;
        }
        double var = spp - sp * sp / n;
        double gain = var < 1e-6 ? 1 : (spc - sp * sc / n) / var;
        // A real exposure step stays within these; a scene cut is a full change anyway.
        gain = Math.max(0.5, Math.min(2.0, gain));
        double offset = (sc - gain * sp) / n;
        int perCell = settings.cellPx() / BLOCK;
        int[] counts = new int[gw * gh];
        int t = settings.threshold();
        for (int y = 0; y < smallH; y++) {
            int row = y / perCell * gw;
            for (int x = 0; x < smallW; x++) {
                int i = y * smallW + x;
                double d = (cur[i] & 0xFF) - (gain * (prev[i] & 0xFF) + offset);
                if (d > t || d < -t) {
                    counts[row + x / perCell]++;
                }
            }
        }
        boolean[] changed = new boolean[gw * gh];
        for (int i = 0; i < counts.length; i++) {
            changed[i] = counts[i] >= settings.minBlocks();
        }
        return changed;
    }

    /** Marks the cells of a box grown by {@code margin} on every side. */
    private void mark(boolean[] cells, int gw, int gh, Box b, float margin) {
        int cell = settings.cellPx();
        int x0 = Math.max(0, (int) Math.floor((b.x1() - margin) / cell));
        int y0 = Math.max(0, (int) Math.floor((b.y1() - margin) / cell));
        int x1 = Math.min(gw - 1, (int) Math.floor((b.x2() + margin) / cell));
        int y1 = Math.min(gh - 1, (int) Math.floor((b.y2() + margin) / cell));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                cells[y * gw + x] = true;
            }
        }
    }

    /** Each marked cell with its eight neighbours: a face may straddle a changed cell's edge. */
    private static boolean[] dilate(boolean[] cells, int gw, int gh) {
        boolean[] out = new boolean[cells.length];
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                if (!cells[y * gw + x]) {
                    continue;
                }
                for (int yy = Math.max(0, y - 1); yy <= Math.min(gh - 1, y + 1); yy++) {
                    for (int xx = Math.max(0, x - 1); xx <= Math.min(gw - 1, x + 1); xx++) {
                        out[yy * gw + xx] = true;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Where a frame needs searching, as a {@link RegionFilter}: every face found counts, and an
     * area may hold a face when it touches an active cell.
     */
    public static final class Activity implements RegionFilter {
        private final boolean full;
        private final boolean[] active;
        private final int gw;
        private final int gh;
        private final int cell;
        private final int activeCells;

        Activity(boolean full, boolean[] active, int gw, int gh, int cell) {
            this.full = full;
            this.active = active;
            this.gw = gw;
            this.gh = gh;
            this.cell = cell;
            int n = 0;
            for (boolean a : active) {
                n += a ? 1 : 0;
            }
            this.activeCells = full ? gw * gh : n;
        }

        static Activity whole(int gw, int gh, int cell) {
            return new Activity(true, new boolean[0], gw, gh, cell);
        }

        /** Whether this frame is searched whole (the interval pass, or no reference yet). */
        public boolean fullPass() {
            return full;
        }

        /** Whether any part of the frame needs searching. */
        public boolean any() {
            return activeCells > 0;
        }

        /** The share of the frame's cells that need searching (1 for a full pass). */
        public double activeShare() {
            return activeCells / (double) (gw * gh);
        }

        @Override
        public boolean contains(Box face, int frameWidth, int frameHeight) {
            return true;
        }

        @Override
        public boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight) {
            if (full) {
                return true;
            }
            int x0 = Math.max(0, (int) Math.floor(area.x1() / cell));
            int y0 = Math.max(0, (int) Math.floor(area.y1() / cell));
            int x1 = Math.min(gw - 1, (int) Math.floor((area.x2() - 1) / cell));
            int y1 = Math.min(gh - 1, (int) Math.floor((area.y2() - 1) / cell));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (active[y * gw + x]) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The active cells as boxes in frame pixels, for tests and reports. */
        List<Box> activeBoxes() {
            List<Box> out = new ArrayList<>();
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    if (full || active[y * gw + x]) {
                        out.add(new Box(x * cell, y * cell, (x + 1) * cell, (y + 1) * cell, 1f));
                    }
                }
            }
            return out;
        }
    }
}
