package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.vigil.common.audit.AuditEvents;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.ReviewCategory;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.ReviewVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Observed false alerts per camera-hour beside the job's expectation, and when they diverge. */
class FalseAlertWatchTest {
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void aCameraRejectedFarMoreOftenThanTheUpperBoundAllowsIsFlaggedAndOneUnluckyHourIsNot() {
        CameraBoard cameras = new CameraBoard(Duration.ofDays(7), Clock.systemUTC());
        // cam-busy streams 10 hours, reporting every 5 minutes; cam-quiet 1 hour; cam-gone
        // reported once, then fell silent for a day (counted as 10 minutes at most).
        report(cameras, "cam-busy", T0, Duration.ofMinutes(5), 121, CameraState.STREAMING);
        report(cameras, "cam-quiet", T0, Duration.ofMinutes(5), 13, CameraState.STREAMING);
        report(cameras, "cam-gone", T0, Duration.ofDays(1), 2, CameraState.STREAMING);
        AlertBoard board = new AlertBoard(new ReviewPolicy(2));
        for (int i = 0; i < 4; i++) {
            rejected(board, "busy-" + i, "cam-busy", T0.plus(Duration.ofHours(i + 1)));
        }
        rejected(board, "quiet-0", "cam-quiet", T0.plus(Duration.ofMinutes(20)));
        // Before the console first saw the camera: not in its observation window.
        rejected(board, "old", "cam-busy", T0.minus(Duration.ofDays(2)));

        List<AuditEvent> audit =
                List.of(
                        jobStarted(T0.minus(Duration.ofDays(3)), "0.5", "0.9"),
                        jobStarted(T0.minus(Duration.ofHours(1)), "0.00600", "0.0200"),
                        jobStarted(T0.minus(Duration.ofDays(9)), "unknown", null));
        Optional<FalseAlertWatch.Expected> expected = FalseAlertWatch.expected(audit);
        assertThat(expected).hasValueSatisfying(e -> assertThat(e.upper95()).isEqualTo(0.02));

        List<FalseAlertWatch.Row> rows = FalseAlertWatch.of(board.list(), cameras, expected);
        FalseAlertWatch.Row busy = row(rows, "cam-busy");
        assertThat(busy.cameraHours()).isCloseTo(10.0, offset(1e-9));
        assertThat(busy.rejected()).isEqualTo(4);
        assertThat(busy.observedPerCameraHour()).isCloseTo(0.4, offset(1e-9));
        assertThat(busy.expectedUpper95()).isEqualTo(0.02);
        assertThat(busy.diverges()).as("4 rejections where 0.2 are expected").isTrue();
        FalseAlertWatch.Row quiet = row(rows, "cam-quiet");
        assertThat(quiet.cameraHours()).isCloseTo(1.0, offset(1e-9));
        assertThat(quiet.diverges()).as("1 rejection in an hour at an upper 0.02").isTrue();
        assertThat(row(rows, "cam-gone").cameraHours()).isCloseTo(10 / 60.0, offset(1e-9));
        assertThat(row(rows, "cam-gone").diverges()).isFalse();

        // A looser expectation: one rejection in an hour is then plausible, four in ten are not.
        Optional<FalseAlertWatch.Expected> loose =
                Optional.of(new FalseAlertWatch.Expected(0.1, 0.2, T0));
        List<FalseAlertWatch.Row> again = FalseAlertWatch.of(board.list(), cameras, loose);
        assertThat(row(again, "cam-quiet").diverges()).isFalse();
        assertThat(row(again, "cam-busy").diverges()).isFalse();
        // Without an estimate nothing is flagged, and the observed rate still shows.
        List<FalseAlertWatch.Row> none =
                FalseAlertWatch.of(board.list(), cameras, Optional.empty());
        assertThat(row(none, "cam-busy").diverges()).isFalse();
        assertThat(row(none, "cam-busy").expectedPerCameraHour()).isNull();
        assertThat(row(none, "cam-busy").observedPerCameraHour()).isNotNull();
    }

    @Test
    void thePoissonTailIsExact() {
        assertThat(FalseAlertWatch.atLeast(0, 3)).isEqualTo(1.0);
        assertThat(FalseAlertWatch.atLeast(1, 2)).isCloseTo(1 - Math.exp(-2), offset(1e-12));
        assertThat(FalseAlertWatch.atLeast(3, 1))
                .isCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5), offset(1e-12));
        assertThat(FalseAlertWatch.atLeast(2, 0)).isZero();
    }

    static void report(
            CameraBoard cameras,
            String camera,
            Instant from,
            Duration every,
            int reports,
            CameraState state) {
        for (int i = 0; i < reports; i++) {
            cameras.onStatus(
                    CameraStatus.newBuilder()
                            .setCameraId(camera)
                            .setReportedAt(from.plus(every.multipliedBy(i)))
                            .setState(state)
                            .setSource("rtsp://camera/" + camera)
                            .setFramesPublished(i)
                            .setFramesPerSecond(2f)
                            .setReconnects(0)
                            .setErrors(0)
                            .build());
        }
    }

    static void rejected(AlertBoard board, String id, String camera, Instant firstSeen) {
        Alert a =
                Alert.newBuilder(ConsoleServerTest.alert(id, 0))
                        .setCameraId(camera)
                        .setFirstSeen(firstSeen)
                        .build();
        board.onAlert(a);
        for (String reviewer : List.of("rita", "rob")) {
            board.onDecision(
                    ReviewDecision.newBuilder()
                            .setDecisionId(id + reviewer)
                            .setAlertId(id)
                            .setCameraId(camera)
                            .setWatchlistEntryId("entry-1")
                            .setReviewer(reviewer)
                            .setDecision(ReviewVerdict.REJECT)
                            .setCategory(ReviewCategory.DIFFERENT_PERSON)
                            .setReason("not him")
                            .setDecidedAt(firstSeen.plusSeconds(60))
                            .build());
        }
    }

    static AuditEvent jobStarted(Instant at, String rate, String upper) {
        return AuditEvents.event(AuditEventType.JOB_STARTED, "system:launcher", at)
                .setDetails(
                        AuditEvents.details(
                                "expectedFalseAlertsPerCameraHour",
                                rate,
                                "expectedFalseAlertsPerCameraHourUpper95",
                                upper))
                .build();
    }

    private static FalseAlertWatch.Row row(List<FalseAlertWatch.Row> rows, String camera) {
        return rows.stream().filter(r -> r.cameraId().equals(camera)).findFirst().orElseThrow();
    }
}
