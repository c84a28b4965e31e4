package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.Sha256;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class AlertAuditEventsTest {
    static Alert alert(int revision, boolean closed) {
        Instant t = Instant.ofEpochMilli(10_000 + revision);
        return Alert.newBuilder()
                .setAlertId("alert-1")
                .setRevision(revision)
                .setClosed(closed)
                .setCameraId("cam-1")
                .setTrackId("track-1")
                .setFirstSeen(t)
                .setLastSeen(t)
                .setSupportingFrames(3 + revision)
                .setFrameSequence(7)
                .setCaptureTimestamp(t)
                .setIngestTimestamp(t)
                .setAlertTimestamp(t)
                .setTriggerCaptureTimestamp(t)
                .setBox(new BoundingBox(1f, 2f, 3f, 4f))
                .setDetectionConfidence(0.9f)
                .setLandmarks(List.of())
                .setQuality(0.8f)
                .setWatchlistEntryId("entry-1")
                .setExternalId("person-1")
                .setLegalBasis("CASE-1")
                .setSimilarity(0.6f)
                .setBestSimilarity(0.7f)
                .setThreshold(0.5f)
                .setConsensusFrames(3)
                .setModelId("model")
                .setFaceCrop(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setMatchedFaceId("face-1")
                .setEntryExpiresAt(Instant.parse("2027-01-01T00:00:00Z"))
                .build();
    }

    @Test
    void raisedAndClosedRevisionsAreAuditedWithStableIdsAndNoPixels() {
        List<AuditEvent> out = new ArrayList<>();
        AlertAuditEvents fn = new AlertAuditEvents();
        ListCollector<AuditEvent> c = new ListCollector<>(out);
        fn.flatMap(alert(0, false), c);
        fn.flatMap(alert(1, false), c);
        fn.flatMap(alert(2, true), c);
        fn.flatMap(alert(0, false), c); // a replay after restart

        assertThat(out)
                .extracting(AuditEvent::getType)
                .containsExactly(
                        AuditEventType.ALERT_RAISED,
                        AuditEventType.ALERT_CLOSED,
                        AuditEventType.ALERT_RAISED);
        assertThat(out.get(0).getEventId()).isEqualTo(out.get(2).getEventId());
        AuditEvent closed = out.get(1);
        assertThat(closed.getActor()).isEqualTo(AlertAuditEvents.ACTOR);
        assertThat(closed.getAlertId()).isEqualTo("alert-1");
        assertThat(closed.getExternalId()).isEqualTo("person-1");
        assertThat(closed.getReason()).isEqualTo("CASE-1");
        assertThat(closed.getDetails())
                .containsEntry("supportingFrames", "5")
                .containsEntry("threshold", "0.5");
        // No field can carry an image: no bytes type, and the one fixed type is a 32-byte hash.
        assertThat(AuditEvent.getClassSchema().toString()).doesNotContain("\"bytes\"");
        assertThat(Sha256.getClassSchema().getFixedSize()).isEqualTo(32);
    }
}
