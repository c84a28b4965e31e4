package io.vigil.vision.face;

/** A detection box in pixels with its confidence. */
public record Box(float x1, float y1, float x2, float y2, float score) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0f, width()) * Math.max(0f, height());
    }

    public float iou(Box o) {
        float ix = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float iy = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (ix <= 0 || iy <= 0) {
            return 0f;
        }
        float inter = ix * iy;
        return inter / (area() + o.area() - inter);
    }

    /** The intersection as a fraction of the smaller box's area. */
    public float containment(Box o) {
        float ix = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float iy = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (ix <= 0 || iy <= 0) {
            return 0f;
        }
        float smaller = Math.min(area(), o.area());
        return smaller <= 0 ? 0f : ix * iy / smaller;
    }

    /** The box moved by (dx, dy). */
    public Box translate(float dx, float dy) {
        return new Box(x1 + dx, y1 + dy, x2 + dx, y2 + dy, score);
    }
}
