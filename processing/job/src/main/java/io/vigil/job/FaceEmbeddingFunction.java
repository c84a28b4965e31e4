package io.vigil.job;

import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.FaceCrop;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.MotionPreview;
import io.vigil.schemas.Point;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.UnindexedReason;
import io.vigil.vision.gate.FaceTracks;
import io.vigil.vision.gate.MotionGate;
import io.vigil.watchlist.camera.Regions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "detect-embed": runs detector, landmarks, alignment and embedder on each frame and emits
 * one record per face that passes the quality gate and that the camera's face tracks select for
 * embedding. The detector searches only where the camera's motion gate says the scene changed, and
 * a frame whose producer sent its motion preview is decoded only when something is to be searched;
 * one that then fails to decode is dead-lettered here ({@link DeadLetters#TAG}). The ONNX sessions
 * are opened in {@link #open} and closed in {@link #close}, one set per subtask.
 *
 * <p>The gates and tracks of each camera are kept in memory, not in Flink state: a camera's frames
 * come from one Kafka partition, so they reach one subtask, and a gate or track lost to a restart
 * or a rescale only costs a full search and a few embeddings. They hold boxes and a blurred
 * 1/8-scale greyscale copy of the last frame, never an embedding or a crop; once a subtask holds
 * {@link #CAMERAS_BEFORE_EVICTION} cameras, those not seen for {@link #FORGET_CAMERA_MS} are
 * dropped.
 */
public final class FaceEmbeddingFunction extends ProcessFunction<DecodedFrame, FaceDetection> {
    private static final long serialVersionUID = 1L;

    private final FaceModels models;
    private final DetectorSettings settings;
    private final QualityFilter gate;
    private final InferenceOptions options;
    private final MotionGate.Settings motion;
    private final FaceTracks.Settings tracks;
    public static final String FRAMES_ANALYZED = "frames-analyzed";

    /** Frames with a motion preview in which nothing needed searching: never decoded. */
    public static final String FRAMES_NOT_DECODED = "frames-not-decoded";

    /** Frames whose image, left encoded by the decoder, failed to decode here. */
    public static final String FRAMES_DEAD_LETTERED_LATE = "frames-dead-lettered-late";

    /** Detector passes (whole frame or tile) the motion gate left out. */
    public static final String PASSES_GATED = "detector-passes-gated";

    /** Detector passes run. */
    public static final String PASSES_RUN = "detector-passes-run";

    /** Faces past the quality gate not embedded because they continue a decided track. */
    public static final String FACES_NOT_REEMBEDDED = "faces-not-reembedded";

    /** Processing time after which a camera's gate and tracks may be dropped. */
    static final long FORGET_CAMERA_MS = 60_000;

    /** Cameras a subtask holds before it looks for ones to drop. */
    static final int CAMERAS_BEFORE_EVICTION = 64;

    public static final String FACES_EMBEDDED = "faces-embedded";

    /** Faces the quality gate kept from the embedder; per-reason counters are metrics only. */
    public static final String FACES_SKIPPED = "faces-skipped-quality";

    private transient FaceAnalyzer analyzer;
    private transient LongCounter framesAnalyzed;
    private transient LongCounter framesNotDecoded;
    private transient LongCounter framesDeadLettered;
    private transient LongCounter facesEmbedded;
    private transient LongCounter facesSkipped;
    private transient Map<UnindexedReason, Counter> skippedByReason;
    private transient LongCounter passesGated;
    private transient LongCounter passesRun;
    private transient LongCounter notReembedded;
    private transient Map<String, CameraGates> cameras;
    private transient SlidingHistogram analysisMs;
    private transient SlidingHistogram captureToAnalysisMs;

    public FaceEmbeddingFunction(
            FaceModels models,
            DetectorSettings settings,
            QualityFilter gate,
            InferenceOptions options,
            MotionGate.Settings motion,
            FaceTracks.Settings tracks) {
        this.models = models;
        this.settings = settings;
        this.gate = gate;
        this.options = options;
        this.motion = motion;
        this.tracks = tracks;
    }

    /** One camera's motion gate and face tracks, and when its last frame came. */
    private static final class CameraGates {
        final MotionGate motion;
        final FaceTracks tracks;
        long lastUsed;

        CameraGates(MotionGate.Settings m, FaceTracks.Settings t) {
            motion = new MotionGate(m);
            tracks = new FaceTracks(t);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        analyzer = new FaceAnalyzer(models, settings, options);
        framesAnalyzed = getRuntimeContext().getLongCounter(FRAMES_ANALYZED);
        framesNotDecoded = getRuntimeContext().getLongCounter(FRAMES_NOT_DECODED);
        framesDeadLettered = getRuntimeContext().getLongCounter(FRAMES_DEAD_LETTERED_LATE);
        facesEmbedded = getRuntimeContext().getLongCounter(FACES_EMBEDDED);
        facesSkipped = getRuntimeContext().getLongCounter(FACES_SKIPPED);
        passesGated = getRuntimeContext().getLongCounter(PASSES_GATED);
        passesRun = getRuntimeContext().getLongCounter(PASSES_RUN);
        notReembedded = getRuntimeContext().getLongCounter(FACES_NOT_REEMBEDDED);
        cameras = new HashMap<>();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        // The accumulators the tests read, also as metrics for Prometheus.
        metrics.gauge(FRAMES_ANALYZED, framesAnalyzed::getLocalValue);
        metrics.gauge(FRAMES_NOT_DECODED, framesNotDecoded::getLocalValue);
        metrics.gauge(FRAMES_DEAD_LETTERED_LATE, framesDeadLettered::getLocalValue);
        metrics.gauge(FACES_EMBEDDED, facesEmbedded::getLocalValue);
        metrics.gauge(PASSES_GATED, passesGated::getLocalValue);
        metrics.gauge(PASSES_RUN, passesRun::getLocalValue);
        metrics.gauge(FACES_NOT_REEMBEDDED, notReembedded::getLocalValue);
        analysisMs = metrics.histogram("detect-embed-ms", new SlidingHistogram());
        captureToAnalysisMs = metrics.histogram("capture-to-analysis-ms", new SlidingHistogram());
        skippedByReason = new EnumMap<>(UnindexedReason.class);
        MetricGroup skipped = getRuntimeContext().getMetricGroup().addGroup(FACES_SKIPPED);
        for (UnindexedReason r : UnindexedReason.values()) {
            skippedByReason.put(r, skipped.counter(r.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void processElement(DecodedFrame f, Context ctx, Collector<FaceDetection> out) {
        long started = System.nanoTime();
        Regions regions = Regions.ofPolygons(f.regions);
        CameraGates cam = gatesOf(f.cameraId, System.currentTimeMillis());
        byte[] preview =
                f.preview != null ? f.preview : MotionPreview.of(f.rgb, f.width, f.height, false);
        MotionGate.Activity activity =
                cam.motion.observe(preview, f.width, f.height, f.captureTimestamp);
        long gated0 = analyzer.passesGated();
        long runs0 = analyzer.detectorRuns();
        RgbImage image = null;
        FaceAnalyzer.FrameAnalysis analysis;
        if (!activity.any()) {
            // Nothing changed and no full pass is due: the frame's pixels are not needed.
            analysis = analyzer.nothingToSearch(f.width, f.height, regions);
            if (f.rgb == null) {
                framesNotDecoded.add(1L);
            }
            ctx.output(FrameAccountingFunction.TAG, FrameAccountingFunction.Outcome.GATED);
        } else {
            image = pixels(f, ctx);
            if (image == null) {
                return;
            }
            ctx.output(FrameAccountingFunction.TAG, FrameAccountingFunction.Outcome.ANALYSED);
            analysis =
                    analyzer.analyze(
                            image, gate, regions, activity, cam.tracks.at(f.captureTimestamp));
        }
        cam.motion.found(analysis.detected());
        passesGated.add(analyzer.passesGated() - gated0);
        passesRun.add(analyzer.detectorRuns() - runs0);
        notReembedded.add((long) analysis.notEmbedded());
        List<AnalyzedFace> faces = analysis.faces();
        analysisMs.update((System.nanoTime() - started) / 1_000_000);
        captureToAnalysisMs.update(System.currentTimeMillis() - f.captureTimestamp);
        framesAnalyzed.add(1L);
        facesEmbedded.add((long) faces.size());
        facesSkipped.add((long) analysis.skipped().size());
        for (UnindexedReason r : analysis.skipped()) {
            skippedByReason.get(r).inc();
        }
        for (int i = 0; i < faces.size(); i++) {
            FaceDetection record = toRecord(f, i, faces.get(i), analyzer.embedderId());
            RgbImage crop = FaceCrops.crop(image, faces.get(i).box());
            record.setCrop(new FaceCrop(crop.width(), crop.height(), ByteBuffer.wrap(crop.rgb())));
            out.collect(record);
        }
    }

    /**
     * The frame's pixels, decoding its image if the decoder left it encoded; null, with the record
     * dead-lettered, if the image does not decode (its header was checked, its body was not).
     */
    private RgbImage pixels(DecodedFrame f, Context ctx) {
        if (f.rgb != null) {
            return new RgbImage(f.width, f.height, f.rgb);
        }
        try {
            RgbImage img = RgbImage.decode(f.encoded, (long) f.width * f.height);
            if (img.width() == f.width && img.height() == f.height) {
                return img;
            }
            lateDeadLetter(
                    f,
                    ctx,
                    "decoded "
                            + img.width()
                            + "x"
                            + img.height()
                            + ", header said "
                            + f.width
                            + "x"
                            + f.height);
        } catch (IOException e) {
            lateDeadLetter(f, ctx, "JPEG image: " + e.getMessage());
        }
        return null;
    }

    private void lateDeadLetter(DecodedFrame f, Context ctx, String detail) {
        framesDeadLettered.add(1L);
        ctx.output(FrameAccountingFunction.TAG, FrameAccountingFunction.Outcome.DEAD_LETTERED);
        ctx.output(
                DeadLetters.TAG,
                DeadLetters.of(
                        f.source,
                        DeadLetterReason.CORRUPT_IMAGE,
                        detail,
                        System.currentTimeMillis()));
    }

    private CameraGates gatesOf(String camera, long now) {
        CameraGates g = cameras.get(camera);
        if (g == null) {
            if (cameras.size() >= CAMERAS_BEFORE_EVICTION) {
                cameras.values().removeIf(c -> now - c.lastUsed > FORGET_CAMERA_MS);
            }
            g = new CameraGates(motion, tracks);
            cameras.put(camera, g);
        }
        g.lastUsed = now;
        return g;
    }

    public static FaceDetection toRecord(
            DecodedFrame f, int index, AnalyzedFace face, String modelId) {
        List<Point> points = new ArrayList<>(5);
        for (float[] p : face.fivePoints()) {
            points.add(new Point(p[0], p[1]));
        }
        List<Float> embedding = new ArrayList<>(face.embedding().length);
        for (float v : face.embedding()) {
            embedding.add(v);
        }
        return FaceDetection.newBuilder()
                .setCameraId(f.cameraId)
                .setFrameSequence(f.sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(f.captureTimestamp))
                .setIngestTimestamp(Instant.ofEpochMilli(f.ingestTimestamp))
                .setFaceIndex(index)
                .setBox(
                        new BoundingBox(
                                face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()))
                .setDetectionConfidence(face.box().score())
                .setLandmarks(points)
                .setQuality(face.quality().overall())
                .setEmbedding(embedding)
                .setModelId(modelId)
                .setCameraPurposes(f.purposes == null ? List.of() : List.of(f.purposes))
                .build();
    }

    @Override
    public void close() {
        if (analyzer != null) {
            analyzer.close();
            analyzer = null;
        }
        if (cameras != null) {
            cameras.clear();
        }
    }
}
