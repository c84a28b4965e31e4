package io.vigil.processing.job;

import io.vigil.processing.face.AnalyzedFace;
import io.vigil.processing.face.DetectorSettings;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import io.vigil.processing.face.RgbImage;
import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.Point;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "detect-embed": runs detector, landmarks, alignment and embedder on each frame and emits
 * one record per face. The ONNX sessions are opened in {@link #open} and closed in {@link #close},
 * one set per subtask.
 */
public final class FaceEmbeddingFunction extends ProcessFunction<DecodedFrame, FaceDetection> {
    private static final long serialVersionUID = 1L;

    private final FaceModels models;
    private final DetectorSettings settings;
    private final InferenceOptions options;
    public static final String FRAMES_ANALYZED = "frames-analyzed";

    public static final String FACES_EMBEDDED = "faces-embedded";

    private transient FaceAnalyzer analyzer;
    private transient LongCounter framesAnalyzed;
    private transient LongCounter facesEmbedded;

    public FaceEmbeddingFunction(
            FaceModels models, DetectorSettings settings, InferenceOptions options) {
        this.models = models;
        this.settings = settings;
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        analyzer = new FaceAnalyzer(models, settings, options);
        framesAnalyzed = getRuntimeContext().getLongCounter(FRAMES_ANALYZED);
        facesEmbedded = getRuntimeContext().getLongCounter(FACES_EMBEDDED);
    }

    @Override
    public void processElement(DecodedFrame f, Context ctx, Collector<FaceDetection> out) {
        List<AnalyzedFace> faces = analyzer.analyze(new RgbImage(f.width, f.height, f.rgb));
        framesAnalyzed.add(1L);
        facesEmbedded.add((long) faces.size());
        for (int i = 0; i < faces.size(); i++) {
            out.collect(toRecord(f, i, faces.get(i), analyzer.embedderId()));
        }
    }

    static FaceDetection toRecord(DecodedFrame f, int index, AnalyzedFace face, String modelId) {
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
                .build();
    }

    @Override
    public void close() {
        if (analyzer != null) {
            analyzer.close();
            analyzer = null;
        }
    }
}
