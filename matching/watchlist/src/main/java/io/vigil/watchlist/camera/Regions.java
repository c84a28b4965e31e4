package io.vigil.watchlist.camera;

import io.vigil.schemas.Point;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.RegionFilter;
import java.io.Serializable;
import java.util.List;

/**
 * A camera's regions of interest: polygons in fractions of the frame (0..1). A face is inside when
 * its box centre is inside any polygon; with no polygons the whole frame is inside.
 */
public final class Regions implements RegionFilter, Serializable {
    private static final long serialVersionUID = 1L;

    public static final Regions WHOLE_FRAME = new Regions(new float[0][]);

    /** Each polygon as x0,y0,x1,y1,... */
    private final float[][] polygons;

    private Regions(float[][] polygons) {
        this.polygons = polygons;
    }

    /**
     * @throws IllegalArgumentException when a polygon has fewer than 3 points or a point outside
     *     0..1
     */
    public static Regions of(List<List<Point>> polygons) {
        if (polygons == null || polygons.isEmpty()) {
            return WHOLE_FRAME;
        }
        float[][] out = new float[polygons.size()][];
        for (int i = 0; i < polygons.size(); i++) {
            List<Point> poly = polygons.get(i);
            if (poly.size() < 3) {
                throw new IllegalArgumentException(
                        "region " + i + " has " + poly.size() + " points; a polygon needs 3");
            }
            out[i] = new float[poly.size() * 2];
            for (int j = 0; j < poly.size(); j++) {
                Point p = poly.get(j);
                if (p.getX() < 0 || p.getX() > 1 || p.getY() < 0 || p.getY() > 1) {
                    throw new IllegalArgumentException(
                            "region "
                                    + i
                                    + " point "
                                    + j
                                    + " ("
                                    + p.getX()
                                    + ", "
                                    + p.getY()
                                    + ") is outside 0..1 (fractions of the frame)");
                }
                out[i][2 * j] = p.getX();
                out[i][2 * j + 1] = p.getY();
            }
        }
        return new Regions(out);
    }

    /** Regions from {@link #polygons()}; null or empty is the whole frame. */
    public static Regions ofPolygons(float[][] polygons) {
        return polygons == null || polygons.length == 0 ? WHOLE_FRAME : new Regions(polygons);
    }

    /** Each polygon as x0,y0,x1,y1,... in fractions of the frame; shared, do not modify. */
    public float[][] polygons() {
        return polygons;
    }

    public boolean wholeFrame() {
        return polygons.length == 0;
    }

    public int count() {
        return polygons.length;
    }

    /** Whether the centre of a face box (frame pixels) lies in a region. */
    @Override
    public boolean contains(Box box, int frameWidth, int frameHeight) {
        if (polygons.length == 0) {
            return true;
        }
        float x = (box.x1() + box.x2()) / 2f / frameWidth;
        float y = (box.y1() + box.y2()) / 2f / frameHeight;
        for (float[] poly : polygons) {
            if (inside(poly, x, y)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a face whose box lies whole inside {@code area} could have its centre in a region:
     * whether the area, shrunk by nothing, meets a polygon's bounding box. Conservative, so no area
     * that could hold a counted face is ever skipped.
     */
    @Override
    public boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight) {
        if (polygons.length == 0) {
            return true;
        }
        float ax1 = area.x1() / frameWidth;
        float ay1 = area.y1() / frameHeight;
        float ax2 = area.x2() / frameWidth;
        float ay2 = area.y2() / frameHeight;
        for (float[] poly : polygons) {
            float minX = 1, minY = 1, maxX = 0, maxY = 0;
            for (int i = 0; i < poly.length; i += 2) {
                minX = Math.min(minX, poly[i]);
                maxX = Math.max(maxX, poly[i]);
                minY = Math.min(minY, poly[i + 1]);
                maxY = Math.max(maxY, poly[i + 1]);
            }
            if (ax1 <= maxX && ax2 >= minX && ay1 <= maxY && ay2 >= minY) {
                return true;
            }
        }
        return false;
    }

    /** Even-odd ray casting. */
    private static boolean inside(float[] poly, float x, float y) {
        boolean in = false;
        int n = poly.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            float xi = poly[2 * i];
            float yi = poly[2 * i + 1];
            float xj = poly[2 * j];
            float yj = poly[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}
