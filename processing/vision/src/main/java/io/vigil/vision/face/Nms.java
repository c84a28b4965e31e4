package io.vigil.vision.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Greedy non-maximum suppression, highest score first. */
public final class Nms {
    private Nms() {}

    public static List<Box> suppress(List<Box> boxes, float iouThreshold, int maxKeep) {
        return suppress(boxes, Function.identity(), iouThreshold, maxKeep);
    }

    /** As above for anything that has a box, such as a detection with its keypoints. */
    public static <T> List<T> suppress(
            List<T> items, Function<T, Box> boxOf, float iouThreshold, int maxKeep) {
        return suppress(items, boxOf, iouThreshold, 1f, maxKeep);
    }

    /**
     * As above, also suppressing a box when more than {@code containment} of the smaller of the two
     * lies inside the other: the same face seen at two scales, or a part of a face cut by a tile
     * border, overlaps the whole face mostly by containment rather than by IoU.
     */
    public static <T> List<T> suppress(
            List<T> items,
            Function<T, Box> boxOf,
            float iouThreshold,
            float containment,
            int maxKeep) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((T t) -> boxOf.apply(t).score()).reversed());
        List<T> kept = new ArrayList<>();
        for (T candidate : sorted) {
            if (kept.size() >= maxKeep) {
                break;
            }
            boolean overlaps = false;
            for (T k : kept) {
                Box c = boxOf.apply(candidate);
                Box o = boxOf.apply(k);
                if (c.iou(o) > iouThreshold || c.containment(o) > containment) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
