package io.vigil.job.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.BoundingBox;
import io.vigil.schemas.FaceObservation;
import io.vigil.schemas.Point;
import io.vigil.schemas.WatchlistHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The track-consensus operator under Flink's keyed harness. Observations are what match-watchlist
 * emits (box, quality, best hit); they carry no embedding, so the scenarios are written directly.
 * Every test ends with the final watermark and checks no state and no timer is left behind.
 */
class TrackConsensusFunctionTest {
    static final long T0 = 1_700_000_000_000L;
    static final TrackingSettings SETTINGS = TrackingSettings.defaults();

    static KeyedOneInputStreamOperatorTestHarness<String, FaceObservation, Alert> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TrackConsensusFunction(SETTINGS), new ObservationCamera(), Types.STRING);
    }

    static FaceObservation face(
            String camera, long t, float x, String entry, float similarity, float quality) {
        return FaceObservation.newBuilder()
                .setCameraId(camera)
                .setFrameSequence((t - T0) / 500)
                .setCaptureTimestamp(Instant.ofEpochMilli(t))
                .setIngestTimestamp(Instant.ofEpochMilli(t + 5))
                .setFaceIndex(0)
                .setBox(new BoundingBox(x, 100f, x + 80f, 190f))
                .setDetectionConfidence(0.95f)
                .setLandmarks(List.of(new Point(x + 20, 130f), new Point(x + 60, 130f)))
                .setQuality(quality)
                .setModelId("m1")
                .setThreshold(0.5f)
                .setHit(
                        entry == null
                                ? null
                                : new WatchlistHit(
                                        entry,
                                        "ext-" + entry,
                                        "CASE-" + entry,
                                        similarity,
                                        "face-" + entry,
                                        T0 + 86_400_000L))
                .build();
    }

    /** A walk past the camera: a face every 500 ms, moving 12 px a frame, all matching. */
    static List<FaceObservation> pass(String camera, long start, int frames, String entry) {
        List<FaceObservation> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            out.add(face(camera, start + 500L * i, 40f + 12f * i, entry, 0.6f + 0.01f * i, 0.5f));
        }
        return out;
    }

    static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, FaceObservation, Alert> h,
            List<FaceObservation> faces)
            throws Exception {
        for (FaceObservation f : faces) {
            h.processElement(f, f.getCaptureTimestamp().toEpochMilli());
        }
    }

    static void finishAndAssertNothingLeft(
            KeyedOneInputStreamOperatorTestHarness<String, FaceObservation, Alert> h)
            throws Exception {
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(h.numKeyedStateEntries()).as("keyed state left").isZero();
        assertThat(h.numEventTimeTimers()).as("event-time timers left").isZero();
        assertThat(h.numProcessingTimeTimers()).as("processing-time timers left").isZero();
    }

    static List<Alert> raised(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getRevision() == 0).toList();
    }

    @Test
    void onePassRaisesOneAlertAtConsensusAndClosesItWithTheWholePass() throws Exception {
        try (var h = harness()) {
            List<FaceObservation> pass = pass("cam-1", T0, 10, "e1");
            feed(h, pass.subList(0, 2));
            assertThat(h.extractOutputValues()).as("two matching frames are not enough").isEmpty();
            feed(h, pass.subList(2, 3));
            Alert first = h.extractOutputValues().get(0);
            assertThat(first.getRevision()).isZero();
            assertThat(first.getClosed()).isFalse();
            assertThat(first.getSupportingFrames()).isEqualTo(3);
            assertThat(first.getTriggerCaptureTimestamp().toEpochMilli()).isEqualTo(T0 + 1000);
            assertThat(first.getConsensusFrames()).isEqualTo(3);
            feed(h, pass.subList(3, 10));
            assertThat(h.extractOutputValues()).as("no repeat within the pass").hasSize(1);

            finishAndAssertNothingLeft(h);
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            Alert last = out.get(1);
            assertThat(last.getAlertId()).isEqualTo(first.getAlertId());
            assertThat(last.getRevision()).isEqualTo(1);
            assertThat(last.getClosed()).isTrue();
            assertThat(last.getSupportingFrames()).isEqualTo(10);
            assertThat(last.getFirstSeen().toEpochMilli()).isEqualTo(T0);
            assertThat(last.getLastSeen().toEpochMilli()).isEqualTo(T0 + 4500);
            assertThat(last.getTrackId()).isEqualTo("cam-1:" + T0 + ":0");
            assertThat(last.getExternalId()).isEqualTo("ext-e1");
            assertThat(last.getLegalBasis()).isEqualTo("CASE-e1");
            // Equal quality weights: the aggregate is the plain mean 0.645, the best frame the
            // last.
            assertThat(last.getSimilarity())
                    .isCloseTo(0.645f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(last.getBestSimilarity())
                    .isCloseTo(0.69f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(last.getFrameSequence()).isEqualTo(9);
            assertThat(last.getBox()).isEqualTo(pass.get(9).getBox());
            assertThat(last.getThreshold()).isEqualTo(0.5f);
            assertThat(last.getModelId()).isEqualTo("m1");
        }
    }

    @Test
    void qualityWeightsTheAggregateAndPicksTheBestFrame() throws Exception {
        try (var h = harness()) {
            feed(
                    h,
                    List.of(
                            face("cam-1", T0, 40, "e1", 0.90f, 0.05f),
                            face("cam-1", T0 + 500, 44, "e1", 0.60f, 0.9f),
                            face("cam-1", T0 + 1000, 48, "e1", 0.62f, 0.9f)));
            finishAndAssertNothingLeft(h);
            Alert last = h.extractOutputValues().get(1);
            // (0.05*0.90 + 0.9*0.60 + 0.9*0.62) / 1.85 = 0.6178; the sharp 0.62 frame is "best".
            assertThat(last.getSimilarity())
                    .isCloseTo(0.6178f, org.assertj.core.data.Offset.offset(1e-3f));
            assertThat(last.getBestSimilarity()).isEqualTo(0.62f);
            assertThat(last.getFrameSequence()).isEqualTo(2);
        }
    }

    @Test
    void facesThatMatchNothingLeaveNoStateAndRaiseNothing() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 20; i++) {
                h.processElement(face("cam-1", T0 + 500L * i, 40 + i, null, 0, 0.8f), T0);
            }
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            finishAndAssertNothingLeft(h);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void scatteredMatchesOutsideTheConsensusWindowRaiseNothing() throws Exception {
        try (var h = harness()) {
            // A face in view for 12 s that matches only every 3 s (an impostor near the threshold).
            for (int i = 0; i < 24; i++) {
                long t = T0 + 500L * i;
                h.processElement(face("cam-1", t, 40, i % 6 == 0 ? "e1" : null, 0.55f, 0.6f), t);
            }
            finishAndAssertNothingLeft(h);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aTrackLostAndFoundWithinTheSuppressionWindowUpdatesTheSameAlert() throws Exception {
        try (var h = harness()) {
            feed(h, pass("cam-1", T0, 6, "e1"));
            h.processWatermark(new Watermark(T0 + 2500 + SETTINGS.trackTimeoutMs()));
            // Back 10 s later, elsewhere in the picture: a new track, the same open alert.
            List<FaceObservation> back = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                back.add(face("cam-1", T0 + 12_000 + 500L * i, 300f, "e1", 0.7f, 0.5f));
            }
            feed(h, back);
            finishAndAssertNothingLeft(h);
            List<Alert> out = h.extractOutputValues();
            assertThat(raised(out)).hasSize(1);
            assertThat(out).extracting(Alert::getAlertId).containsOnly(out.get(0).getAlertId());
            Alert last = out.get(out.size() - 1);
            assertThat(last.getClosed()).isTrue();
            assertThat(last.getSupportingFrames()).isEqualTo(12);
            assertThat(last.getLastSeen().toEpochMilli()).isEqualTo(T0 + 14_500);
        }
    }

    @Test
    void twoPassesFurtherApartThanTheSuppressionWindowRaiseTwoAlerts() throws Exception {
        try (var h = harness()) {
            feed(h, pass("cam-1", T0, 6, "e1"));
            long second = T0 + 2500 + SETTINGS.suppressionMs() + 1000;
            h.processWatermark(new Watermark(second - 1));
            feed(h, pass("cam-1", second, 6, "e1"));
            finishAndAssertNothingLeft(h);
            List<Alert> out = h.extractOutputValues();
            assertThat(raised(out)).hasSize(2);
            assertThat(raised(out).get(0).getAlertId())
                    .isNotEqualTo(raised(out).get(1).getAlertId());
            assertThat(out.stream().filter(Alert::getClosed)).hasSize(2);
        }
    }

    @Test
    void longPassSendsRateLimitedUpdates() throws Exception {
        try (var h = harness()) {
            feed(h, pass("cam-1", T0, 60, "e1")); // 30 s in view, matching throughout
            finishAndAssertNothingLeft(h);
            List<Alert> out = h.extractOutputValues();
            assertThat(raised(out)).hasSize(1);
            // Raised at 1 s; updates at >= 10 s intervals (11 s, 21 s); closed at the end.
            assertThat(out).extracting(Alert::getRevision).containsExactly(0, 1, 2, 3);
            assertThat(out.get(1).getTriggerCaptureTimestamp().toEpochMilli())
                    .isEqualTo(T0 + 11_000);
            assertThat(out.get(3).getSupportingFrames()).isEqualTo(60);
        }
    }

    @Test
    void outOfOrderFramesOfOnePassStillRaiseExactlyOneAlert() throws Exception {
        try (var h = harness()) {
            List<FaceObservation> pass = new ArrayList<>(pass("cam-1", T0, 12, "e1"));
            Collections.shuffle(pass, new Random(3));
            feed(h, pass);
            finishAndAssertNothingLeft(h);
            List<Alert> out = h.extractOutputValues();
            assertThat(raised(out)).hasSize(1);
            Alert last = out.get(out.size() - 1);
            assertThat(last.getSupportingFrames()).isEqualTo(12);
            assertThat(last.getFirstSeen().toEpochMilli()).isEqualTo(T0);
            assertThat(last.getLastSeen().toEpochMilli()).isEqualTo(T0 + 5500);
        }
    }

    @Test
    void twoPeopleInViewAndTwoCamerasAreTrackedApart() throws Exception {
        try (var h = harness()) {
            List<FaceObservation> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t = T0 + 500L * i;
                all.add(face("cam-1", t, 20, "e1", 0.7f, 0.5f));
                FaceObservation other = face("cam-1", t, 250, "e2", 0.7f, 0.5f);
                other.setFaceIndex(1);
                all.add(other);
                all.add(face("cam-2", t, 20, "e1", 0.7f, 0.5f));
            }
            feed(h, all);
            finishAndAssertNothingLeft(h);
            List<Alert> raised = raised(h.extractOutputValues());
            assertThat(raised)
                    .extracting(a -> a.getCameraId() + "/" + a.getWatchlistEntryId())
                    .containsExactlyInAnyOrder("cam-1/e1", "cam-1/e2", "cam-2/e1");
            assertThat(raised).extracting(Alert::getSupportingFrames).containsOnly(3);
        }
    }

    @Test
    void unmatchedFramesKeepATrackAliveButDoNotCountTowardsConsensus() throws Exception {
        try (var h = harness()) {
            // Match, then 4 s of faces that match nothing (turned away), then two matches: the
            // track survives the gap, but its three matches span 5.5 s > the 5 s window.
            List<FaceObservation> faces = new ArrayList<>();
            faces.add(face("cam-1", T0, 40, "e1", 0.7f, 0.5f));
            for (int i = 1; i <= 8; i++) {
                faces.add(face("cam-1", T0 + 500L * i, 40 + 2 * i, null, 0, 0.5f));
            }
            faces.add(face("cam-1", T0 + 5000, 60, "e1", 0.7f, 0.5f));
            faces.add(face("cam-1", T0 + 5500, 62, "e1", 0.7f, 0.5f));
            feed(h, faces);
            assertThat(h.extractOutputValues()).isEmpty();
            // A third match 500 ms later is within 5 s of the other two.
            h.processElement(face("cam-1", T0 + 6000, 64, "e1", 0.7f, 0.5f), T0 + 6000);
            assertThat(raised(h.extractOutputValues()))
                    .singleElement()
                    .satisfies(a -> assertThat(a.getTrackId()).isEqualTo("cam-1:" + T0 + ":0"));
            finishAndAssertNothingLeft(h);
        }
    }

    @Test
    void aCameraThatFallsSilentHasItsAlertsClosedByWallClock() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            feed(h, pass("cam-1", T0, 6, "e1"));
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            // No frames and no watermark progress: only wall-clock time passes.
            h.setProcessingTime(1_000 + SETTINGS.silentCameraMs() - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.setProcessingTime(1_000 + SETTINGS.silentCameraMs());
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).getClosed()).isTrue();
            assertThat(out.get(1).getSupportingFrames()).isEqualTo(6);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            finishAndAssertNothingLeft(h);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aCameraStillSendingIsNotClosedByWallClock() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            List<FaceObservation> pass = pass("cam-1", T0, 40, "e1");
            for (int i = 0; i < pass.size(); i++) {
                // One frame every 10 s of wall clock: slow, but never silent for silentCameraMs.
                h.setProcessingTime(1_000 + 10_000L * i);
                h.processElement(pass.get(i), pass.get(i).getCaptureTimestamp().toEpochMilli());
            }
            assertThat(h.extractOutputValues()).noneMatch(Alert::getClosed);
            finishAndAssertNothingLeft(h);
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        List<FaceObservation> pass = pass("cam-1", T0, 10, "e1");
        OperatorSubtaskState snapshot;
        String alertId;
        try (var h = harness()) {
            feed(h, pass.subList(0, 4));
            alertId = h.extractOutputValues().get(0).getAlertId();
            snapshot = h.snapshot(1L, T0 + 2000);
        }
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new TrackConsensusFunction(SETTINGS)),
                        new ObservationCamera(),
                        Types.STRING)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            feed(h, pass.subList(4, 10));
            assertThat(h.extractOutputValues()).as("no second alert after restore").isEmpty();
            finishAndAssertNothingLeft(h);
            Alert last = h.extractOutputValues().get(0);
            assertThat(last.getAlertId()).isEqualTo(alertId);
            assertThat(last.getClosed()).isTrue();
            assertThat(last.getSupportingFrames()).isEqualTo(10);
        }
    }
}
