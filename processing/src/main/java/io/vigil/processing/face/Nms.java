package io.vigil.processing.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression, highest score first. */
public final class Nms {
    private Nms() {}

    public static List<Box> suppress(List<Box> boxes, float iouThreshold, int maxKeep) {
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(Box::score).reversed());
        List<Box> kept = new ArrayList<>();
        for (Box candidate : sorted) {
            if (kept.size() >= maxKeep) {
                break;
            }
            boolean overlaps = false;
            for (Box k : kept) {
                if (candidate.iou(k) > iouThreshold) {
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
