package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

/** Every topic carries Avro single-object encoding: magic bytes, schema fingerprint, body. */
class AvroRoundTripTest {
    static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);

    static Frame frame() {
        return Frame.newBuilder()
                .setCameraId("cam-1")
                .setSequence(7)
                .setCaptureTimestamp(T)
                .setIngestTimestamp(T.plusMillis(5))
                .setWidth(360)
                .setHeight(288)
                .setCodec(ImageCodec.JPEG)
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                .build();
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("a-1")
                .setCameraId("cam-1")
                .setTrackId("cam-1:1700000000123:0")
                .setFirstSeen(T.minusSeconds(1))
                .setLastSeen(T.plusSeconds(2))
                .setSupportingFrames(5)
                .setFrameSequence(7)
                .setCaptureTimestamp(T)
                .setIngestTimestamp(T)
                .setAlertTimestamp(T.plusMillis(90))
                .setTriggerCaptureTimestamp(T)
                .setBox(new BoundingBox(1f, 2f, 30f, 40f))
                .setDetectionConfidence(0.98f)
                .setLandmarks(List.of(new Point(1f, 2f), new Point(3f, 4f)))
                .setQuality(0.8f)
                .setWatchlistEntryId("e-1")
                .setExternalId("person-1")
                .setLegalBasis("CASE-42")
                .setSimilarity(0.71f)
                .setBestSimilarity(0.74f)
                .setThreshold(0.5f)
                .setConsensusFrames(3)
                .setModelId("m")
                .setMatchedFaceId("face-1")
                .setEntryExpiresAt(Instant.parse("2027-01-01T00:00:00Z"))
                .build();
    }

    @Test
    void frameRoundTripsAndStartsWithTheSingleObjectHeader() throws Exception {
        ByteBuffer bytes = Frame.getEncoder().encode(frame());
        assertThat(bytes.get(0)).isEqualTo((byte) 0xC3);
        assertThat(bytes.get(1)).isEqualTo((byte) 0x01);
        Frame back = Frame.getDecoder().decode(bytes);
        assertThat(back).isEqualTo(frame());
        assertThat(back.getCaptureTimestamp()).isEqualTo(T);
    }

    @Test
    void alertRoundTripsWithPendingReviewByDefault() throws Exception {
        Alert back = Alert.getDecoder().decode(Alert.getEncoder().encode(alert()));
        assertThat(back).isEqualTo(alert());
        assertThat(back.getReviewStatus()).isEqualTo(ReviewStatus.PENDING);
        assertThat(back.getRevision()).isZero();
        assertThat(back.getClosed()).isFalse();
    }

    @Test
    void faceObservationCarriesNoEmbeddingAndAnOptionalHit() throws Exception {
        assertThat(FaceObservation.getClassSchema().getField("embedding")).isNull();
        FaceObservation o =
                FaceObservation.newBuilder()
                        .setCameraId("cam-1")
                        .setFrameSequence(7)
                        .setCaptureTimestamp(T)
                        .setIngestTimestamp(T)
                        .setFaceIndex(0)
                        .setBox(new BoundingBox(1f, 2f, 30f, 40f))
                        .setDetectionConfidence(0.9f)
                        .setLandmarks(List.of())
                        .setQuality(0.5f)
                        .setModelId("m")
                        .setThreshold(0.5f)
                        .build();
        assertThat(o.getHit()).isNull();
        o.setHit(
                new WatchlistHit(
                        "e", "x", "CASE", 0.8f, "face-1", T.plusSeconds(86400).toEpochMilli()));
        FaceObservation back =
                FaceObservation.getDecoder().decode(FaceObservation.getEncoder().encode(o));
        assertThat(back).isEqualTo(o);
    }

    @Test
    void deadLetterRoundTripsWithOriginalBytes() throws Exception {
        DeadLetter dl =
                DeadLetter.newBuilder()
                        .setSourceTopic("vigil.frames")
                        .setSourcePartition(3)
                        .setSourceOffset(99)
                        .setReason(DeadLetterReason.CORRUPT_IMAGE)
                        .setDetail("bad")
                        .setFailedTimestamp(T)
                        .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 8, 7}))
                        .build();
        DeadLetter back = DeadLetter.getDecoder().decode(DeadLetter.getEncoder().encode(dl));
        assertThat(back).isEqualTo(dl);
        assertThat(back.getKey()).isNull();
    }

    @Test
    void faceDetectionRoundTrips() throws Exception {
        FaceDetection f =
                FaceDetection.newBuilder()
                        .setCameraId("c")
                        .setFrameSequence(1)
                        .setCaptureTimestamp(T)
                        .setIngestTimestamp(T)
                        .setFaceIndex(0)
                        .setBox(new BoundingBox(0f, 0f, 1f, 1f))
                        .setDetectionConfidence(0.9f)
                        .setLandmarks(List.of())
                        .setQuality(0.5f)
                        .setEmbedding(List.of(0.6f, 0.8f))
                        .setModelId("m")
                        .setCameraPurposes(List.of("missing persons"))
                        .build();
        assertThat(FaceDetection.getDecoder().decode(FaceDetection.getEncoder().encode(f)))
                .isEqualTo(f);
    }

    @Test
    void decodingAnotherSchemaFailsClearlyByFingerprint() throws Exception {
        ByteBuffer alertBytes = Alert.getEncoder().encode(alert());
        assertThatThrownBy(() -> Frame.getDecoder().decode(alertBytes))
                .isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining("Cannot resolve schema for fingerprint");
    }

    @Test
    void decodingBytesWithoutHeaderFails() {
        assertThatThrownBy(() -> Frame.getDecoder().decode(ByteBuffer.wrap("hello".getBytes())))
                .isInstanceOf(BadHeaderException.class);
    }

    @Test
    void aSettledAlertRoundTripsWithItsDecisionsAndTheAlertItSettled() throws Exception {
        Alert a = alert();
        a.setSupporting(
                List.of(
                        new SupportingFace(
                                8L,
                                T,
                                0.7f,
                                0.66f,
                                "face-2",
                                ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8}))));
        ReviewDecision d =
                ReviewDecision.newBuilder()
                        .setDecisionId("d-1")
                        .setAlertId("a-1")
                        .setCameraId("cam-1")
                        .setWatchlistEntryId("e-1")
                        .setReviewer("rita")
                        .setDecision(ReviewVerdict.CONFIRM)
                        .setCategory(ReviewCategory.SAME_PERSON)
                        .setReason("scar")
                        .setDecidedAt(T)
                        .build();
        SettledAlert s =
                SettledAlert.newBuilder()
                        .setAlertId("a-1")
                        .setOutcome(ReviewStatus.CONFIRMED)
                        .setSettledAt(T)
                        .setSettledBy("rita")
                        .setAdjudicated(false)
                        .setDecisions(List.of(d))
                        .setAlert(a)
                        .build();
        SettledAlert back = SettledAlert.getDecoder().decode(SettledAlert.getEncoder().encode(s));
        assertThat(back).isEqualTo(s);
        assertThat(back.getAlert().getEntryExpiresAt()).isEqualTo(a.getEntryExpiresAt());
        assertThat(back.getAlert().getSupporting().get(0).getMatchedFaceId()).isEqualTo("face-2");
    }
}
