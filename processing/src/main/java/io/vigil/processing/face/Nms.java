package io.vigil.processing.face;

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
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((T t) -> boxOf.apply(t).score()).reversed());
        List<T> kept = new ArrayList<>();
        for (T candidate : sorted) {
            if (kept.size() >= maxKeep) {
                break;
            }
            boolean overlaps = false;
            for (T k : kept) {
                if (boxOf.apply(candidate).iou(boxOf.apply(k)) > iouThreshold) {
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
