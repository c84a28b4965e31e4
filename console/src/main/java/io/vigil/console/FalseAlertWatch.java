package io.vigil.console;

import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.ReviewStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Each camera's false alerts as the reviewers found them, per camera-hour, beside the rate the job
 * expected when it started ({@code JOB_STARTED}: the estimate from the calibrated impostor scores,
 * the watchlist's size and the consensus rule, with its 95 % upper bound). A camera diverges when
 * its rejected alerts are more than the upper bound makes plausible: fewer than 5 % of cameras
 * watching as long at the upper-bound rate would see as many (a one-sided Poisson test), so one
 * unlucky rejection on a camera watched for an hour is not flagged, and a steady excess is.
 */
final class FalseAlertWatch {
    /** Below this chance at the upper bound, the observed count is called a divergence. */
    static final double SIGNIFICANCE = 0.05;

    private FalseAlertWatch() {}

    /** What the job expected, from its latest start in the audit log. */
    record Expected(double perCameraHour, double upper95, Instant jobStartedAt) {}

    /**
     * One camera's line.
     *
     * @param cameraHours hours the camera was reported streaming, since {@code since}
     * @param rejected alerts first seen since then that the reviewers rejected
     */
    record Row(
            String cameraId,
            Instant since,
            double cameraHours,
            int rejected,
            Double observedPerCameraHour,
            Double expectedPerCameraHour,
            Double expectedUpper95,
            boolean diverges) {}

    /** The latest job start's estimate, when it made one ("unknown" otherwise). */
    static Optional<Expected> expected(List<AuditEvent> events) {
        Expected latest = null;
        for (AuditEvent e : events) {
            if (e.getType() != AuditEventType.JOB_STARTED) {
                continue;
            }
            try {
                double rate =
                        Double.parseDouble(
                                e.getDetails()
                                        .getOrDefault("expectedFalseAlertsPerCameraHour", ""));
                double upper =
                        Double.parseDouble(
                                e.getDetails()
                                        .getOrDefault(
                                                "expectedFalseAlertsPerCameraHourUpper95", ""));
                if (latest == null || !e.getTimestamp().isBefore(latest.jobStartedAt())) {
                    latest = new Expected(rate, upper, e.getTimestamp());
                }
            } catch (NumberFormatException unknown) {
                // A start without an estimate: nothing to compare with.
            }
        }
        return Optional.ofNullable(latest);
    }

    static List<Row> of(
            List<AlertBoard.Entry> alerts, CameraBoard cameras, Optional<Expected> expected) {
        TreeSet<String> ids = new TreeSet<>();
        cameras.list().forEach(c -> ids.add(c.cameraId()));
        alerts.forEach(a -> ids.add(a.alert().getCameraId()));
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            Optional<Instant> since = cameras.observedSince(id);
            double hours = cameras.streamedHours(id);
            int rejected = 0;
            for (AlertBoard.Entry a : alerts) {
                if (a.alert().getCameraId().equals(id)
                        && a.status() == ReviewStatus.REJECTED
                        && since.isPresent()
                        && !a.alert().getFirstSeen().isBefore(since.get())) {
                    rejected++;
                }
            }
            Double observed = hours > 0 ? rejected / hours : null;
            boolean diverges =
                    expected.isPresent()
                            && hours > 0
                            && atLeast(rejected, expected.get().upper95() * hours) < SIGNIFICANCE;
            rows.add(
                    new Row(
                            id,
                            since.orElse(null),
                            hours,
                            rejected,
                            observed,
                            expected.map(Expected::perCameraHour).orElse(null),
                            expected.map(Expected::upper95).orElse(null),
                            diverges));
        }
        return rows;
    }

    /** P[Poisson(mean) >= k]. */
    static double atLeast(int k, double mean) {
        if (k <= 0) {
            return 1;
        }
        if (mean <= 0) {
            return 0;
        }
        double term = Math.exp(-mean);
        double below = 0;
        for (int i = 0; i < k; i++) {
            below += term;
            term *= mean / (i + 1);
        }
        return Math.max(0, 1 - below);
    }
}
