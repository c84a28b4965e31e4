package io.vigil.vision.face;

import io.vigil.vision.model.ModelManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Detect, landmark, align and embed every face of a frame, with the models and tensor layouts their
 * manifests describe. Owns the ONNX sessions and their reusable direct input buffers, so one
 * instance serves one thread (one Flink subtask).
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final OnnxModel detector;
    private final OnnxModel landmarks;
    private final OnnxModel embedder;
    private final ModelManifest detectorManifest;
    private final ModelManifest landmarkManifest;
    private final ModelManifest embedderManifest;
    private final DetectionDecoder decoder;
    private final String[] detectorOutputs;
    private final DetectorSettings settings;
    private final FloatBuffer detInput;
    private final FloatBuffer lmInput;
    private final FloatBuffer embInput;
    private FloatBuffer batchInput;
    private final float detectorMinFace;
    private final FaceAligner.Alignment alignment;
    private long detectorRuns;
    private long passesGated;
    private TileLayout layout;
    private int layoutWidth;
    private int layoutHeight;

    public FaceAnalyzer(FaceModels models, DetectorSettings settings, InferenceOptions options) {
        List<OnnxModel> opened = new ArrayList<>(3);
        try {
            this.detector = open(models, models.detector(), options, opened);
            this.landmarks =
                    models.landmarks() == null
                            ? null
                            : open(models, models.landmarks(), options, opened);
            this.embedder = open(models, models.embedder(), options, opened);
        } catch (RuntimeException e) {
            opened.forEach(OnnxModel::close);
            throw e;
        }
        this.detectorManifest = models.detector();
        this.landmarkManifest = models.landmarks();
        this.embedderManifest = models.embedder();
        this.settings = settings;
        this.decoder = DetectionDecoder.of(detectorManifest, settings);
        List<String> keys = decoder.outputKeys();
        this.detectorOutputs = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            detectorOutputs[i] = detectorManifest.output(keys.get(i));
        }
        this.detectorMinFace = detectorMinFace(detectorManifest, settings);
        this.alignment = FaceAligner.Alignment.of(embedderManifest.family());
        this.detInput = directFloats(size(detectorManifest.input()));
        this.lmInput =
                landmarkManifest == null ? null : directFloats(size(landmarkManifest.input()));
        this.embInput = directFloats(size(embedderManifest.input()));
    }

    private static OnnxModel open(
            FaceModels models, ModelManifest m, InferenceOptions options, List<OnnxModel> opened) {
        OnnxModel model = OnnxModel.open(m, Path.of(models.assetsDir()), options);
        opened.add(model);
        return model;
    }

    /**
     * The detector's smallest reliably found face in input pixels, from its manifest ({@code
     * params.minFace}); required only when tiles are asked for, else 0 when the manifest lacks it.
     */
    private static float detectorMinFace(ModelManifest m, DetectorSettings settings) {
        if (m.params().containsKey("minFace")) {
            return m.param("minFace").get(0).floatValue();
        }
        if (settings.tileMinFace() == 0) {
            return 0f;
        }
        throw new IllegalArgumentException(
                "detector "
                        + m.id()
                        + " ("
                        + m.origin()
                        + ") has no params.minFace, needed to plan tiles for"
                        + " vigil.detect.tile.min.face.px="
                        + settings.tileMinFace()
                        + "; add it to the manifest or set the setting to 0");
    }

    private static int size(ModelManifest.Input in) {
        return in.channels() * in.width() * in.height();
    }

    private static long[] shape(ModelManifest.Input in) {
        return in.layout() == ModelManifest.Layout.NCHW
                ? new long[] {1, in.channels(), in.height(), in.width()}
                : new long[] {1, in.height(), in.width(), in.channels()};
    }

    public String embedderId() {
        return embedderManifest.id();
    }

    /** How the embedder wants faces aligned. */
    public FaceAligner.Alignment alignment() {
        return alignment;
    }

    public int embeddingDimension() {
        return embedderManifest.embeddingDimension();
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
        return analyze(frame, gate, RegionFilter.WHOLE_FRAME);
    }

    /**
     * As {@link #analyze(RgbImage, QualityFilter)}, considering only faces in the camera's regions
     * of interest: the others are skipped before landmarks, so they are never embedded, and tiles
     * that hold no part of a region are not searched.
     */
    public FrameAnalysis analyze(RgbImage frame, QualityFilter gate, RegionFilter regions) {
        return analyze(frame, gate, regions, RegionFilter.WHOLE_FRAME, EmbedPolicy.EVERY_FACE);
    }

    /**
     * As {@link #analyze(RgbImage, QualityFilter, RegionFilter)}, searching only where {@code
     * activity} says a face may be (the camera's motion gate), and embedding only the faces past
     * the quality gate that {@code policy} selects (the camera's face tracks).
     */
    public FrameAnalysis analyze(
            RgbImage frame,
            QualityFilter gate,
            RegionFilter regions,
            RegionFilter activity,
            EmbedPolicy policy) {
        List<Detection> detections = detectFaces(frame, regions, activity);
        List<Box> detected = new ArrayList<>(detections.size());
        List<UnindexedReason> skipped = new ArrayList<>(0);
        List<Gated> passed = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            Box box = d.box();
            if (!regions.contains(box, frame.width(), frame.height())) {
                skipped.add(UnindexedReason.OUTSIDE_REGION_OF_INTEREST);
                continue;
            }
            detected.add(box);
            Gated g = gateDetection(frame, d, gate);
            if (g.failed() != null) {
                skipped.add(g.failed());
            } else {
                passed.add(g);
            }
        }
        List<EmbedPolicy.Candidate> candidates = new ArrayList<>(passed.size());
        passed.forEach(g -> candidates.add(new EmbedPolicy.Candidate(g.box(), g.quality())));
        boolean[] embed = passed.isEmpty() ? new boolean[0] : policy.select(candidates);
        List<AnalyzedFace> faces = new ArrayList<>(passed.size());
        int notEmbedded = 0;
        for (int i = 0; i < passed.size(); i++) {
            if (embed[i]) {
                faces.add(passed.get(i).embedWith(this, frame));
            } else {
                notEmbedded++;
            }
        }
        return new FrameAnalysis(faces, skipped, detected, notEmbedded);
    }

    /** A detection after the size and quality checks: what the embedder needs, or why not. */
    private record Gated(
            Box box,
            float[][] five,
            FaceQuality quality,
            RgbImage aligned,
            UnindexedReason failed) {
        AnalyzedFace embedWith(FaceAnalyzer a, RgbImage frame) {
            RgbImage chip =
                    a.alignment == FaceAligner.Alignment.ARCFACE_112
                            ? aligned
                            : FaceAligner.align(frame, five, a.alignment);
            return new AnalyzedFace(box, five, quality, a.embed(chip));
        }
    }

    private Gated gateDetection(RgbImage frame, Detection d, QualityFilter gate) {
        Box box = d.box();
        if (box.height() < settings.minFaceSize() || box.width() < settings.minFaceSize()) {
            return new Gated(box, null, null, null, UnindexedReason.SMALL_BOUNDING_BOX);
        }
        float[][] five = alignmentPoints(frame, d);
        // The gate judges the ArcFace crop whatever the embedder, so its levels mean the same.
        RgbImage aligned = FaceAligner.align(frame, five);
        FaceQuality quality = FaceQuality.of(box, five, aligned);
        List<UnindexedReason> failed = gate.check(quality);
        return new Gated(box, five, quality, aligned, failed.isEmpty() ? null : failed.get(0));
    }

    /** A detection's fate: embedded ({@code face}), or skipped for a reason ({@code skipped}). */
    public record Outcome(AnalyzedFace face, UnindexedReason skipped) {
        static Outcome embedded(AnalyzedFace face) {
            return new Outcome(face, null);
        }

        static Outcome skippedFor(UnindexedReason reason) {
            return new Outcome(null, reason);
        }
    }

    /**
     * One detection as {@link #analyze} treats it: embedded, or skipped for being too small or for
     * the first gate check it failed.
     */
    public Outcome analyzeDetection(RgbImage frame, Detection d, QualityFilter gate) {
        Gated g = gateDetection(frame, d, gate);
        return g.failed() != null
                ? Outcome.skippedFor(g.failed())
                : Outcome.embedded(g.embedWith(this, frame));
    }

    /**
     * The embedded faces of a frame; for each face the gate skipped, the first reason; the boxes of
     * every face found in the regions of interest; and how many faces past the gate the embed
     * policy left out.
     */
    public record FrameAnalysis(
            List<AnalyzedFace> faces,
            List<UnindexedReason> skipped,
            List<Box> detected,
            int notEmbedded) {}

    /** Detector boxes in frame pixels after NMS. */
    public List<Box> detect(RgbImage frame) {
        List<Box> boxes = new ArrayList<>();
        for (Detection d : detectFaces(frame)) {
            boxes.add(d.box());
        }
        return boxes;
    }

    /** Detections in frame pixels after NMS, with the detector's keypoints if it has them. */
    public List<Detection> detectFaces(RgbImage frame) {
        return detectFaces(frame, RegionFilter.WHOLE_FRAME);
    }

    /**
     * Detections in the whole frame and, where the frame is too large for the whole-frame pass to
     * see faces of {@link DetectorSettings#tileMinFace}, in the tiles of its {@link TileLayout}
     * that could hold a face in a region; merged in frame pixels, so a face seen by several passes
     * is one detection.
     */
    public List<Detection> detectFaces(RgbImage frame, RegionFilter regions) {
        return detectFaces(frame, regions, RegionFilter.WHOLE_FRAME);
    }

    /**
     * As {@link #detectFaces(RgbImage, RegionFilter)}, running each pass (the whole frame, a tile)
     * only where {@code activity} says a face may be; the passes it rules out are counted ({@link
     * #passesGated}).
     */
    public List<Detection> detectFaces(
            RgbImage frame, RegionFilter regions, RegionFilter activity) {
        int w = frame.width();
        int h = frame.height();
        List<Detection> found;
        if (activity.mayContainFaceIn(new Box(0, 0, w, h, 0f), w, h)) {
            found = detectIn(frame, 0, 0, w, h);
        } else {
            passesGated++;
            found = new ArrayList<>();
        }
        TileLayout tiles = layout(w, h);
        if (tiles.tiles().isEmpty()) {
            return found;
        }
        for (TileLayout.Tile t : tiles.tiles()) {
            if (!regions.mayContainFaceIn(t.box(), w, h)) {
                continue;
            }
            if (!activity.mayContainFaceIn(t.box(), w, h)) {
                passesGated++;
                continue;
            }
            for (Detection d : detectIn(frame, t.x(), t.y(), t.width(), t.height())) {
                Detection inFrame = d.translate(t.x(), t.y());
                if (inFrame.box().height() <= t.maxFace()
                        && !TileLayout.cutByInteriorEdge(inFrame.box(), t, w, h, 1f / t.scale())) {
                    found.add(inFrame);
                }
            }
        }
        return Nms.suppress(
                found,
                Detection::box,
                settings.nmsIou(),
                CROSS_PASS_CONTAINMENT,
                settings.maxFaces());
    }

    /**
     * What {@link #analyze(RgbImage, QualityFilter, RegionFilter, RegionFilter, EmbedPolicy)}
     * returns for a frame whose {@code activity} holds nothing to search, without its pixels: no
     * face, and every pass it would have left out counted in {@link #passesGated}. The frame need
     * not be decoded at all.
     */
    public FrameAnalysis nothingToSearch(int width, int height, RegionFilter regions) {
        passesGated++;
        for (TileLayout.Tile t : layout(width, height).tiles()) {
            if (regions.mayContainFaceIn(t.box(), width, height)) {
                passesGated++;
            }
        }
        return new FrameAnalysis(List.of(), List.of(), List.of(), 0);
    }

    /** A box mostly inside another from another pass is the same face (see {@link Nms}). */
    static final float CROSS_PASS_CONTAINMENT = 0.7f;

    /** The tile layout for frames of this size (a camera's frames all have one size). */
    public TileLayout layout(int width, int height) {
        if (layout == null || width != layoutWidth || height != layoutHeight) {
            ModelManifest.Input in = detectorManifest.input();
            layout =
                    detectorMinFace == 0
                            ? new TileLayout(List.of(), 0)
                            : TileLayout.plan(
                                    width,
                                    height,
                                    in.width(),
                                    in.height(),
                                    detectorMinFace,
                                    settings.tileMinFace());
            layoutWidth = width;
            layoutHeight = height;
        }
        return layout;
    }

    /** Detector runs so far (one per frame, plus one per tile searched). */
    public long detectorRuns() {
        return detectorRuns;
    }

    /** Detector passes (whole frame or tile) left out so far because nothing changed there. */
    public long passesGated() {
        return passesGated;
    }

    /** One detector run on a region of the frame; detections in region coordinates. */
    private List<Detection> detectIn(RgbImage frame, int x, int y, int rw, int rh) {
        detectorRuns++;
        ModelManifest.Input in = detectorManifest.input();
        fillTensor(frame, x, y, rw, rh, in, detInput);
        float[][] out = detector.run(detInput, shape(in), detectorOutputs);
        Map<String, float[]> byKey = new HashMap<>();
        List<String> keys = decoder.outputKeys();
        for (int i = 0; i < out.length; i++) {
            byKey.put(keys.get(i), out[i]);
        }
        return new ArrayList<>(decoder.decode(byKey, rw, rh));
    }

    /**
     * The points the face is aligned by: from the landmark model when one is configured, else the
     * detector's own keypoints.
     */
    public float[][] alignmentPoints(RgbImage frame, Detection d) {
        if (landmarks != null) {
            return FaceAligner.fivePoints(landmarks68(frame, d.box()));
        }
        if (d.points() == null) {
            throw new IllegalStateException(
                    "detector "
                            + detectorManifest.id()
                            + " gives no keypoints: configure a"
                            + " landmark model");
        }
        return d.points();
    }

    /** 68 landmarks (x, y pairs) in frame pixels for a detected box. */
    public float[] landmarks68(RgbImage frame, Box box) {
        if (landmarks == null) {
            throw new IllegalStateException("no landmark model is configured");
        }
        ModelManifest.Input in = landmarkManifest.input();
        int lmW = in.width();
        int lmH = in.height();
        float x0 = Math.max(0f, box.x1());
        float y0 = Math.max(0f, box.y1());
        float cw = Math.max(1f, Math.min(frame.width() - 1f, box.x2()) - x0);
        float ch = Math.max(1f, Math.min(frame.height() - 1f, box.y2()) - y0);
        lmInput.clear();
        for (int y = 0; y < lmH; y++) {
            float sy = y0 + (y + 0.5f) * ch / lmH - 0.5f;
            for (int x = 0; x < lmW; x++) {
                float sx = x0 + (x + 0.5f) * cw / lmW - 0.5f;
                float grey =
                        0.299f * frame.sample(sx, sy, 0)
                                + 0.587f * frame.sample(sx, sy, 1)
                                + 0.114f * frame.sample(sx, sy, 2);
                lmInput.put((Math.round(grey) - in.mean()) * in.scale());
            }
        }
        float[] rel = landmarks.run(lmInput, shape(in), landmarkManifest.output("landmarks"))[0];
        float[] px = new float[rel.length];
        for (int i = 0; i < rel.length; i += 2) {
            px[i] = x0 + rel[i] * cw;
            px[i + 1] = y0 + rel[i + 1] * ch;
        }
        return px;
    }

    /** L2-normalised embedding of a face aligned as {@link #alignment()} says. */
    public float[] embed(RgbImage aligned) {
        ModelManifest.Input in = embedderManifest.input();
        fillTensor(aligned, 0, 0, aligned.width(), aligned.height(), in, embInput);
        float[] raw = embedder.run(embInput, shape(in), embedderManifest.output("embedding"))[0];
        return Embeddings.l2Normalize(raw);
    }

    /** Whether the embedder's ONNX input accepts a batch of faces in one call. */
    public boolean embedderTakesBatches() {
        return embedder.batchDimension() != 1;
    }

    /**
     * L2-normalised embeddings of aligned faces, in order: one model call for all of them when the
     * embedder accepts a batch, else one call per face. The same values as {@link #embed} face by
     * face.
     */
    public List<float[]> embedBatch(List<RgbImage> aligned) {
        List<float[]> out = new ArrayList<>(aligned.size());
        if (aligned.isEmpty()) {
            return out;
        }
        if (aligned.size() == 1 || !embedderTakesBatches()) {
            aligned.forEach(a -> out.add(embed(a)));
            return out;
        }
        ModelManifest.Input in = embedderManifest.input();
        int per = size(in);
        int n = aligned.size();
        if (batchInput == null || batchInput.capacity() < n * per) {
            batchInput = directFloats(n * per);
        }
        for (int i = 0; i < n; i++) {
            RgbImage a = aligned.get(i);
            fillTensor(a, 0, 0, a.width(), a.height(), in, embInput);
            batchInput.put(i * per, embInput, 0, per);
        }
        batchInput.position(0).limit(n * per);
        long[] shape = shape(in);
        shape[0] = n;
        float[] flat = embedder.run(batchInput, shape, embedderManifest.output("embedding"))[0];
        int dim = flat.length / n;
        for (int i = 0; i < n; i++) {
            out.add(
                    Embeddings.l2Normalize(
                            java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim)));
        }
        return out;
    }

    /** Fills a model input with a region resized to its size, layout, colours and scaling. */
    static void fillTensor(
            RgbImage img,
            float rx,
            float ry,
            float rw,
            float rh,
            ModelManifest.Input in,
            FloatBuffer dst) {
        if (in.colour() == ModelManifest.Colour.GREY) {
            throw new IllegalArgumentException("grey inputs are only for landmark models");
        }
        fillNormalizedRgb(
                img,
                rx,
                ry,
                rw,
                rh,
                in.width(),
                in.height(),
                in.mean(),
                in.scale(),
                in.layout() == ModelManifest.Layout.NHWC,
                in.colour() == ModelManifest.Colour.BGR,
                dst);
    }

    /** The first model's input: NCHW RGB normalised as (v - 127) / 128. */
    static void fillNormalizedRgb(
            RgbImage img,
            float rx,
            float ry,
            float rw,
            float rh,
            int outW,
            int outH,
            FloatBuffer dst) {
        fillNormalizedRgb(img, rx, ry, rw, rh, outW, outH, 127f, 1 / 128f, false, false, dst);
    }

    /**
     * Bilinear resize of a region into a tensor of (v - mean) * scale, NCHW or NHWC, RGB or BGR.
     */
    static void fillNormalizedRgb(
            RgbImage img,
            float rx,
            float ry,
            float rw,
            float rh,
            int outW,
            int outH,
            float mean,
            float scale,
            boolean nhwc,
            boolean bgr,
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
                    int channel = bgr ? 2 - c : c;
                    int index = nhwc ? o * 3 + channel : channel * plane + o;
                    dst.put(index, (top * (1 - fy) + bottom * fy - mean) * scale);
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
        if (landmarks != null) {
            landmarks.close();
        }
        embedder.close();
    }
}
