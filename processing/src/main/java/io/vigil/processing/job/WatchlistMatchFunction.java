package io.vigil.processing.job;

import io.vigil.matching.IndexSpec;
import io.vigil.matching.MatchPolicy;
import io.vigil.matching.Matcher;
import io.vigil.matching.SearchHit;
import io.vigil.matching.VectorIndex;
import io.vigil.schemas.Alert;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.ReviewStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Operator "match-watchlist": searches each face in the watchlist index and emits an {@link Alert}
 * (status PENDING, for human review) when the best hit reaches the threshold. A face that matches
 * nothing is dropped here and never written anywhere.
 */
public final class WatchlistMatchFunction extends ProcessFunction<FaceDetection, Alert> {
    private static final long serialVersionUID = 1L;

    private final IndexSpec indexSpec;
    private final MatchPolicy policy;
    private transient VectorIndex index;
    private transient Matcher matcher;

    public WatchlistMatchFunction(IndexSpec indexSpec, MatchPolicy policy) {
        this.indexSpec = indexSpec;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        // Search-only: watchlist changes are made by the enroller and seen here on the next search.
        index = indexSpec.open(true);
        matcher = new Matcher(index, policy);
    }

    @Override
    public void processElement(FaceDetection face, Context ctx, Collector<Alert> out) {
        if (!policy.modelId().equals(face.getModelId())) {
            return; // embeddings of another model live in another space
        }
        float[] embedding = toArray(face.getEmbedding());
        Instant now = Instant.now();
        Optional<SearchHit> hit = matcher.bestMatch(embedding, now);
        hit.ifPresent(h -> out.collect(toAlert(face, h, policy.threshold(), now)));
    }

    static Alert toAlert(FaceDetection face, SearchHit hit, float threshold, Instant now) {
        String key =
                face.getCameraId()
                        + '|'
                        + face.getFrameSequence()
                        + '|'
                        + face.getFaceIndex()
                        + '|'
                        + hit.entry().entryId();
        return Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
                .setCameraId(face.getCameraId())
                .setFrameSequence(face.getFrameSequence())
                .setCaptureTimestamp(face.getCaptureTimestamp())
                .setIngestTimestamp(face.getIngestTimestamp())
                .setAlertTimestamp(now)
                .setBox(face.getBox())
                .setDetectionConfidence(face.getDetectionConfidence())
                .setLandmarks(face.getLandmarks())
                .setQuality(face.getQuality())
                .setWatchlistEntryId(hit.entry().entryId())
                .setExternalId(hit.entry().externalId())
                .setLegalBasis(hit.entry().legalBasis())
                .setSimilarity(hit.similarity())
                .setThreshold(threshold)
                .setModelId(face.getModelId())
                .setReviewStatus(ReviewStatus.PENDING)
                .build();
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
