package io.vigil.vision.face;

import io.vigil.vision.model.ModelManifest;
import java.util.List;
import java.util.Map;

/**
 * Turns a detector's raw output tensors into faces in frame pixels, after score filtering and
 * non-maximum suppression. One implementation per detector family; which one runs, and the output
 * tensor names it reads, come from the model's manifest.
 */
public interface DetectionDecoder {

    /** The manifest output keys this decoder reads, in the order {@link #decode} receives them. */
    List<String> outputKeys();

    /**
     * Decodes outputs (flat arrays, keyed as {@link #outputKeys}) of an input that was the whole
     * frame resized to the manifest's input size.
     */
    List<Detection> decode(Map<String, float[]> outputs, int frameWidth, int frameHeight);

    /** The decoder of the manifest's family with these thresholds. */
    static DetectionDecoder of(ModelManifest m, DetectorSettings s) {
        return switch (m.family()) {
            case "ultraface" -> new UltraFaceDecoder(s.minConfidence(), s.nmsIou(), s.maxFaces());
            case "blazeface" -> new BlazeFaceDecoder(m, s);
            case "yunet" -> new YuNetDecoder(m, s);
            case "scrfd" -> new ScrfdDecoder(m, s);
            default ->
                    throw new IllegalArgumentException(
                            "no decoder for detector family "
                                    + m.family()
                                    + " ("
                                    + m.origin()
                                    + ")");
        };
    }

    /** Manifest params as ints, e.g. strides. */
    static int[] ints(ModelManifest m, String key) {
        List<Double> p = m.param(key);
        int[] out = new int[p.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.get(i).intValue();
        }
        return out;
    }
}
