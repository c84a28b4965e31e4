package io.vigil.job;

import io.vigil.index.MatchPolicy;
import io.vigil.index.Matcher;
import io.vigil.index.SearchHit;
import io.vigil.index.VectorIndex;
import io.vigil.index.spec.IndexSpec;
import io.vigil.schemas.FaceCrop;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.WatchlistHit;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.RgbImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "match-watchlist": searches each face in the watchlist index and passes it on, without
 * its embedding, as a {@link FaceObservation} carrying the best hit at or above the threshold, if
 * any. The embedding ends here: a face that matches nothing keeps only its box for the tracker,
 * which forgets it unless it extends a track that did match.
 */
public final class WatchlistMatchFunction extends ProcessFunction<FaceDetection, FaceObservation> {
    private static final long serialVersionUID = 1L;

    private final IndexSpec indexSpec;
    private final MatchPolicy policy;
    private transient VectorIndex index;
    private transient Matcher matcher;
    private transient SlidingHistogram searchMicros;

    public WatchlistMatchFunction(IndexSpec indexSpec, MatchPolicy policy) {
        this.indexSpec = indexSpec;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        // Search-only: watchlist changes are made by the enroller and seen here on the next search.
        index = indexSpec.open(true);
        matcher = new Matcher(index, policy);
        searchMicros =
                getRuntimeContext()
                        .getMetricGroup()
                        .histogram("watchlist-search-us", new SlidingHistogram());
    }

    @Override
    public void processElement(FaceDetection face, Context ctx, Collector<FaceObservation> out) {
        if (!policy.modelId().equals(face.getModelId())) {
            return; // embeddings of another model live in another space
        }
        if (face.getCameraPurposes().isEmpty()) {
            // A camera authorized for no purpose matches nothing: fail closed.
            out.collect(observation(face, null, policy.threshold()));
            return;
        }
        long started = System.nanoTime();
        Optional<SearchHit> hit =
                matcher.bestMatch(
                        toArray(face.getEmbedding()),
                        Instant.now(),
                        Set.copyOf(face.getCameraPurposes()),
                        face.getCameraId());
        searchMicros.update((System.nanoTime() - started) / 1_000);
        out.collect(observation(face, hit.orElse(null), policy.threshold()));
    }

    public static FaceObservation observation(FaceDetection face, SearchHit hit, float threshold) {
        return FaceObservation.newBuilder()
                .setCameraId(face.getCameraId())
                .setFrameSequence(face.getFrameSequence())
                .setCaptureTimestamp(face.getCaptureTimestamp())
                .setIngestTimestamp(face.getIngestTimestamp())
                .setFaceIndex(face.getFaceIndex())
                .setBox(face.getBox())
                .setDetectionConfidence(face.getDetectionConfidence())
                .setLandmarks(face.getLandmarks())
                .setQuality(face.getQuality())
                .setModelId(face.getModelId())
                .setThreshold(threshold)
                .setHit(
                        hit == null
                                ? null
                                : new WatchlistHit(
                                        hit.entry().entryId(),
                                        hit.entry().externalId(),
                                        hit.entry().legalBasis(),
                                        hit.similarity(),
                                        hit.faceId(),
                                        hit.entry().expiresAt().toEpochMilli()))
                .setFaceCrop(hit == null ? null : cropJpeg(face.getCrop()))
                .build();
    }

    /** JPEG of a matching face's crop; only matching faces are ever encoded. */
    private static ByteBuffer cropJpeg(FaceCrop crop) {
        if (crop == null) {
            return null;
        }
        ByteBuffer rgb = crop.getRgb().duplicate();
        byte[] pixels = new byte[rgb.remaining()];
        rgb.get(pixels);
        return ByteBuffer.wrap(
                FaceCrops.jpeg(new RgbImage(crop.getWidth(), crop.getHeight(), pixels), 0.85f));
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
