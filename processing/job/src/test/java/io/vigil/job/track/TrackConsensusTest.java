package io.vigil.job.track;

import static io.vigil.job.track.TrackConsensusFunctionTest.T0;
import static io.vigil.job.track.TrackConsensusFunctionTest.face;
import static io.vigil.job.track.TrackConsensusFunctionTest.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.state.CameraTracks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alerting core without Flink: {@link TrackConsensus} on a plain {@link CameraTracks} value,
 * time advanced by hand. The harness tests ({@link TrackConsensusFunctionTest}) cover the same
 * logic inside the operator, with its state and timers.
 */
class TrackConsensusTest {
    private final TrackConsensus consensus = new TrackConsensus(TrackingSettings.defaults());

    private List<Alert> observeAll(CameraTracks state, List<FaceObservation> faces) {
        List<Alert> out = new ArrayList<>();
        for (FaceObservation f : faces) {
            out.addAll(consensus.observe(state, f, f.getCaptureTimestamp().toEpochMilli()));
        }
        return out;
    }

    @Test
    void aTrackAlertsOnTheThirdMatchingFrameNotBefore() {
        CameraTracks state = TrackConsensus.emptyState();
        List<FaceObservation> walk = pass("cam-1", T0, 3, "e1");
        assertThat(observeAll(state, walk.subList(0, 2))).isEmpty();
        List<Alert> raised = observeAll(state, walk.subList(2, 3));
        assertThat(raised).hasSize(1);
        Alert a = raised.get(0);
        assertThat(a.getRevision()).isZero();
        assertThat(a.getClosed()).isFalse();
        assertThat(a.getWatchlistEntryId()).isEqualTo("e1");
        assertThat(a.getSupportingFrames()).isEqualTo(3);
        assertThat(a.getFirstSeen().toEpochMilli()).isEqualTo(T0);
    }

    @Test
    void someoneCrossingTheViewAtWalkingPaceIsOneTrackAtTwoFramesASecond() {
        CameraTracks state = TrackConsensus.emptyState();
        // 3.5 face heights (90 px faces) between frames half a second apart: no overlap at all.
        List<FaceObservation> crossing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            crossing.add(face("cam-1", T0 + 500L * i, 40f + 315f * i, "e1", 0.7f, 0.5f));
        }
        List<Alert> out = observeAll(state, crossing);
        assertThat(out).hasSize(1);
        assertThat(state.getTracks()).hasSize(1);
        assertThat(out.get(0).getSupportingFrames()).isEqualTo(3);
    }

    @Test
    void aFaceFartherThanAPersonWalksInTheTimeBetweenStartsAnotherTrack() {
        CameraTracks state = TrackConsensus.emptyState();
        observeAll(state, List.of(face("cam-1", T0, 40f, "e1", 0.7f, 0.5f)));
        // 3.5 face heights away 100 ms later: nobody walks that fast.
        observeAll(state, List.of(face("cam-1", T0 + 100, 355f, "e1", 0.7f, 0.5f)));
        assertThat(state.getTracks()).hasSize(2);
    }

    @Test
    void anAlertCarriesTheSharpestOtherFramesAndTheReferenceEachMatched() {
        CameraTracks state = TrackConsensus.emptyState();
        List<FaceObservation> walk = pass("cam-1", T0, 6, "e1");
        float[] quality = {0.3f, 0.9f, 0.5f, 0.2f, 0.7f, 0.6f};
        for (int i = 0; i < walk.size(); i++) {
            FaceObservation f = walk.get(i);
            f.setQuality(quality[i]);
            f.setFaceCrop(
                    java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) i}));
            f.getHit().setFaceId("face-" + (i % 2));
        }
        List<Alert> out = observeAll(state, walk);
        long last = T0 + 500L * 5;
        Alert closed = consensus.advance(state, last + 30_000, last + 30_000).get(0);
        // Best frame: highest quality x similarity, the second (quality 0.9).
        assertThat(closed.getFrameSequence()).isEqualTo(walk.get(1).getFrameSequence());
        assertThat(closed.getMatchedFaceId()).isEqualTo("face-1");
        assertThat(closed.getSupporting())
                .extracting(x -> x.getFaceCrop().get(2))
                .as("the three sharpest besides the best, sharpest first")
                .containsExactly((byte) 4, (byte) 5, (byte) 2);
        assertThat(closed.getSupporting().get(0).getMatchedFaceId()).isEqualTo("face-0");
        assertThat(out.get(0).getSupporting()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void aWholePassIsOneAlertUpdatedThenClosedAfterTheSuppressionWindow() {
        CameraTracks state = TrackConsensus.emptyState();
        List<Alert> out = observeAll(state, pass("cam-1", T0, 40, "e1"));
        assertThat(out).extracting(Alert::getAlertId).containsOnly(out.get(0).getAlertId());
        assertThat(out.get(0).getRevision()).isZero();
        // 20 s of frames, updates at most every 10 s: the raise plus one or two updates.
        assertThat(out).hasSizeBetween(2, 3);
        long last = T0 + 500L * 39;
        assertThat(consensus.advance(state, last + 29_000, last + 29_000)).isEmpty();
        List<Alert> closed = consensus.advance(state, last + 30_000, last + 30_000);
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).getClosed()).isTrue();
        assertThat(closed.get(0).getSupportingFrames()).isEqualTo(40);
        assertThat(TrackConsensus.isEmpty(state)).isTrue();
        assertThat(consensus.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void facesThatMatchNothingNeverStartATrack() {
        CameraTracks state = TrackConsensus.emptyState();
        for (int i = 0; i < 10; i++) {
            assertThat(consensus.observe(state, face("cam-1", T0 + 500L * i, 40, null, 0, 0.5f), 0))
                    .isEmpty();
        }
        assertThat(TrackConsensus.isEmpty(state)).isTrue();
    }

    @Test
    void scatteredMatchesOutsideTheWindowDoNotAlert() {
        CameraTracks state = TrackConsensus.emptyState();
        // One matching frame every 4 s in one track (unmatched frames in between keep it alive):
        // never 3 matches within the 5 s window.
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            long t = T0 + 500L * i;
            String entry = i % 8 == 0 ? "e1" : null;
            out.addAll(
                    consensus.observe(state, face("cam-1", t, 40 + 2 * i, entry, 0.7f, 0.5f), t));
        }
        assertThat(out).isEmpty();
    }

    @Test
    void twoPeopleInOneFrameAreTwoTracksAndTwoAlerts() {
        CameraTracks state = TrackConsensus.emptyState();
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long t = T0 + 500L * i;
            out.addAll(consensus.observe(state, face("cam-1", t, 40 + 5 * i, "e1", 0.7f, 0.5f), t));
            out.addAll(
                    consensus.observe(state, face("cam-1", t, 900 + 5 * i, "e2", 0.7f, 0.5f), t));
        }
        assertThat(out)
                .extracting(Alert::getWatchlistEntryId)
                .containsExactlyInAnyOrder("e1", "e2");
        assertThat(state.getTracks()).hasSize(2);
    }

    @Test
    void idleTracksEndAtTheTrackTimeout() {
        CameraTracks state = TrackConsensus.emptyState();
        observeAll(state, pass("cam-1", T0, 2, "e1"));
        long last = T0 + 500;
        assertThat(consensus.nextDeadline(state)).isEqualTo(last + 3_000);
        consensus.advance(state, last + 2_999, last + 2_999);
        assertThat(state.getTracks()).hasSize(1);
        consensus.advance(state, last + 3_000, last + 3_000);
        assertThat(TrackConsensus.isEmpty(state)).isTrue();
    }
}
