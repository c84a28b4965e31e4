package io.vigil.processing.face;

import io.vigil.matching.VectorMath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Detect, landmark, align and embed every face of a frame. Owns three ONNX sessions and their
 * reusable direct input buffers, so one instance serves one thread (one Flink subtask).
 */
public final class FaceAnalyzer implements AutoCloseable {
    static final int DET_W = 320;
    static final int DET_H = 240;
    static final int LM_SIZE = 64;

    private final OnnxModel detector;
    private final OnnxModel landmarks;
    private final OnnxModel embedder;
    private final UltraFaceDecoder decoder;
    private final DetectorSettings settings;
    private final String embedderId;
    private final FloatBuffer detInput = directFloats(3 * DET_W * DET_H);
    private final FloatBuffer lmInput = directFloats(LM_SIZE * LM_SIZE);
    private final FloatBuffer embInput = directFloats(3 * FaceAligner.SIZE * FaceAligner.SIZE);

    public FaceAnalyzer(FaceModels models, DetectorSettings settings, InferenceOptions options) {
        OnnxModel d = null;
        OnnxModel l = null;
        try {
            d =
                    OnnxModel.load(
                            java.nio.file.Path.of(models.detectorPath()),
                            models.detectorSha256(),
                            options);
            l =
                    OnnxModel.load(
                            java.nio.file.Path.of(models.landmarkPath()),
                            models.landmarkSha256(),
                            options);
            this.embedder =
                    OnnxModel.load(
                            java.nio.file.Path.of(models.embedderPath()),
                            models.embedderSha256(),
                            options);
        } catch (RuntimeException e) {
            if (d != null) {
                d.close();
            }
            if (l != null) {
                l.close();
            }
            throw e;
        }
        this.detector = d;
        this.landmarks = l;
        this.settings = settings;
        this.decoder =
                new UltraFaceDecoder(
                        settings.minConfidence(), settings.nmsIou(), settings.maxFaces());
        this.embedderId = models.embedderId();
    }

    public String embedderId() {
        return embedderId;
    }

    /** Faces found in the frame, highest detector confidence first; too-small faces are skipped. */
    public List<AnalyzedFace> analyze(RgbImage frame) {
        return analyze(frame, QualityFilter.NONE).faces();
    }

    /**
     * Faces found in the frame that pass the quality gate, highest detector confidence first. The
     * gate is checked on the aligned face before the embedder runs, so a face too small, blurred,
     * dark or turned away to identify reliably costs no embedding and can never raise an alert.
     */
    public FrameAnalysis analyze(RgbImage frame, QualityFilter gate) {
        return analyze(frame, gate, box -> true);
    }

    /**
     * As {@link #analyze(RgbImage, QualityFilter)}, considering only faces in the camera's regions
     * of interest: the others are skipped before landmarks, so they are never embedded.
     */
    public FrameAnalysis analyze(RgbImage frame, QualityFilter gate, Predicate<Box> inRegion) {
        List<Box> boxes = detect(frame);
        List<AnalyzedFace> faces = new ArrayList<>(boxes.size());
        List<UnindexedReason> skipped = new ArrayList<>(0);
        for (Box box : boxes) {
            if (!inRegion.test(box)) {
                skipped.add(UnindexedReason.OUTSIDE_REGION_OF_INTEREST);
                continue;
            }
            if (box.height() < settings.minFaceSize() || box.width() < settings.minFaceSize()) {
                skipped.add(UnindexedReason.SMALL_BOUNDING_BOX);
                continue;
            }
            float[] lm68 = landmarks68(frame, box);
            float[][] five = FaceAligner.fivePoints(lm68);
            RgbImage aligned = FaceAligner.align(frame, five);
            FaceQuality quality = FaceQuality.of(box, five, aligned);
            List<UnindexedReason> failed = gate.check(quality);
            if (!failed.isEmpty()) {
                skipped.add(failed.get(0));
                continue;
            }
            faces.add(new AnalyzedFace(box, five, quality, embed(aligned)));
        }
        return new FrameAnalysis(faces, skipped);
    }

    /** The embedded faces of a frame and, for each face the gate skipped, the first reason. */
    public record FrameAnalysis(List<AnalyzedFace> faces, List<UnindexedReason> skipped) {}

    /** Detector boxes in frame pixels after NMS. */
    public List<Box> detect(RgbImage frame) {
        fillNormalizedRgb(frame, 0, 0, frame.width(), frame.height(), DET_W, DET_H, detInput);
        float[][] out = detector.run(detInput, new long[] {1, 3, DET_H, DET_W}, "scores", "boxes");
        return decoder.decode(out[0], out[1], frame.width(), frame.height());
    }

    /** 68 landmarks (x, y pairs) in frame pixels for a detected box. */
    public float[] landmarks68(RgbImage frame, Box box) {
        float x0 = Math.max(0f, box.x1());
        float y0 = Math.max(0f, box.y1());
        float cw = Math.max(1f, Math.min(frame.width() - 1f, box.x2()) - x0);
        float ch = Math.max(1f, Math.min(frame.height() - 1f, box.y2()) - y0);
        lmInput.clear();
        for (int y = 0; y < LM_SIZE; y++) {
            float sy = y0 + (y + 0.5f) * ch / LM_SIZE - 0.5f;
            for (int x = 0; x < LM_SIZE; x++) {
                float sx = x0 + (x + 0.5f) * cw / LM_SIZE - 0.5f;
                float grey =
                        0.299f * frame.sample(sx, sy, 0)
                                + 0.587f * frame.sample(sx, sy, 1)
                                + 0.114f * frame.sample(sx, sy, 2);
                lmInput.put(Math.round(grey) / 256f);
            }
        }
        float[] rel = landmarks.run(lmInput, new long[] {1, 1, LM_SIZE, LM_SIZE}, "output")[0];
        float[] px = new float[rel.length];
        for (int i = 0; i < rel.length; i += 2) {
            px[i] = x0 + rel[i] * cw;
            px[i + 1] = y0 + rel[i + 1] * ch;
        }
        return px;
    }

    /** L2-normalised embedding of an aligned 112x112 face. */
    public float[] embed(RgbImage aligned) {
        fillNormalizedRgb(
                aligned,
                0,
                0,
                aligned.width(),
                aligned.height(),
                FaceAligner.SIZE,
                FaceAligner.SIZE,
                embInput);
        float[] raw =
                embedder.run(
                                embInput,
                                new long[] {1, 3, FaceAligner.SIZE, FaceAligner.SIZE},
                                "output")[0];
        return VectorMath.l2Normalize(raw);
    }

    /** Bilinear resize of a region into an NCHW RGB tensor normalised as (v - 127) / 128. */
    static void fillNormalizedRgb(
            RgbImage img,
            float rx,
            float ry,
            float rw,
            float rh,
            int outW,
            int outH,
            FloatBuffer dst) {
        dst.clear();
        float scaleX = rw / outW;
        float scaleY = rh / outH;
        int plane = outW * outH;
        // The same bilinear values as RgbImage.sample, with the column terms worked out once per
        // call instead of once per pixel and channel: this loop fed every model and was the
        // hottest Java code of the job.
        int w = img.width();
        int h = img.height();
        byte[] rgb = img.rgb();
        int[] c0 = new int[outW];
        int[] c1 = new int[outW];
        float[] fxs = new float[outW];
        for (int x = 0; x < outW; x++) {
            float sx = rx + (x + 0.5f) * scaleX - 0.5f;
            int x0 = (int) Math.floor(sx);
            fxs[x] = sx - x0;
            c0[x] = Math.min(Math.max(x0, 0), w - 1) * 3;
            c1[x] = Math.min(Math.max(x0 + 1, 0), w - 1) * 3;
        }
        for (int y = 0; y < outH; y++) {
            float sy = ry + (y + 0.5f) * scaleY - 0.5f;
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            int r0 = Math.min(Math.max(y0, 0), h - 1) * w * 3;
            int r1 = Math.min(Math.max(y0 + 1, 0), h - 1) * w * 3;
            for (int x = 0; x < outW; x++) {
                float fx = fxs[x];
                int o = y * outW + x;
                for (int c = 0; c < 3; c++) {
                    float top =
                            (rgb[r0 + c0[x] + c] & 0xFF) * (1 - fx)
                                    + (rgb[r0 + c1[x] + c] & 0xFF) * fx;
                    float bottom =
                            (rgb[r1 + c0[x] + c] & 0xFF) * (1 - fx)
                                    + (rgb[r1 + c1[x] + c] & 0xFF) * fx;
                    dst.put(c * plane + o, (top * (1 - fy) + bottom * fy - 127f) / 128f);
                }
            }
        }
        dst.position(0).limit(3 * plane);
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    public void close() {
        detector.close();
        landmarks.close();
        embedder.close();
    }
}
