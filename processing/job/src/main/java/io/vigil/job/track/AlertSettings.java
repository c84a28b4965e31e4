package io.vigil.job.track;

import io.vigil.vision.model.FalseAlertEstimate;
import io.vigil.vision.model.ImpostorSample;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Tracking and alerting: how observations join a track, how many agreeing frames make an alert,
 * suppression, and the expected load behind the false-alert estimate. Parsing and validation only.
 */
public final class AlertSettings extends AbstractConfig {
    public static final String TRACK_MIN_IOU = "vigil.track.min.iou";
    public static final String TRACK_MAX_CENTRE_SHIFT = "vigil.track.max.centre.shift";
    public static final String TRACK_MAX_SPEED = "vigil.track.max.speed";
    public static final String TRACK_TIMEOUT_MS = "vigil.track.timeout.ms";
    public static final String ALERT_CONSENSUS_FRAMES = "vigil.alert.consensus.frames";
    public static final String ALERT_CONSENSUS_WINDOW_MS = "vigil.alert.consensus.window.ms";
    public static final String ALERT_SUPPRESSION_MS = "vigil.alert.suppression.ms";
    public static final String ALERT_UPDATE_INTERVAL_MS = "vigil.alert.update.interval.ms";
    public static final String ALERT_SILENT_CAMERA_MS = "vigil.alert.silent.camera.ms";
    public static final String ALERT_MAX_EXPECTED_FALSE_PER_HOUR =
            "vigil.alert.max.expected.false.per.hour";
    public static final String ALERT_EXPECTED_PEOPLE_PER_HOUR =
            "vigil.alert.expected.people.per.camera.hour";
    public static final String ALERT_EXPECTED_FRAMES_PER_PERSON =
            "vigil.alert.expected.frames.per.person";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            TRACK_MIN_IOU,
                            Type.DOUBLE,
                            0.3,
                            Range.between(0.01, 0.99),
                            Importance.LOW,
                            "Overlap with a track's latest face box that joins a face to it.")
                    .define(
                            TRACK_MAX_CENTRE_SHIFT,
                            Type.DOUBLE,
                            1.0,
                            Range.between(0, 10),
                            Importance.LOW,
                            "Centre distance, in face heights, that still joins a face to a track"
                                    + " whose box it does not overlap enough, plus"
                                    + " vigil.track.max.speed for each second between the two.")
                    .define(
                            TRACK_MAX_SPEED,
                            Type.DOUBLE,
                            10.0,
                            Range.between(0, 100),
                            Importance.LOW,
                            "Face heights per second a person may move between two faces of a"
                                    + " track. Someone crossing the view at walking pace moves"
                                    + " about 7 face heights a second: 3.5 between two frames at"
                                    + " 2 fps, too far for the boxes to overlap.")
                    .define(
                            TRACK_TIMEOUT_MS,
                            Type.LONG,
                            3000L,
                            Range.between(1, 600_000),
                            Importance.MEDIUM,
                            "Capture time without a face after which a track ends.")
                    .define(
                            ALERT_CONSENSUS_FRAMES,
                            Type.INT,
                            3,
                            Range.between(1, 100),
                            Importance.HIGH,
                            "Frames of one track that must match the same watchlist entry, within"
                                    + " vigil.alert.consensus.window.ms, before an alert is"
                                    + " raised.")
                    .define(
                            ALERT_CONSENSUS_WINDOW_MS,
                            Type.LONG,
                            5000L,
                            Range.between(0, 600_000),
                            Importance.MEDIUM,
                            "Capture-time window of the consensus frames.")
                    .define(
                            ALERT_SUPPRESSION_MS,
                            Type.LONG,
                            30_000L,
                            Range.between(1, 86_400_000),
                            Importance.MEDIUM,
                            "After an alert, matches of the same entry on the same camera update"
                                    + " it instead of raising another, until none has come for"
                                    + " this long; then its closing revision is emitted. At least"
                                    + " vigil.track.timeout.ms.")
                    .define(
                            ALERT_UPDATE_INTERVAL_MS,
                            Type.LONG,
                            10_000L,
                            Range.between(0, 86_400_000),
                            Importance.LOW,
                            "Least capture time between two update revisions of an open alert; 0:"
                                    + " only the raising and the closing revision.")
                    .define(
                            ALERT_SILENT_CAMERA_MS,
                            Type.LONG,
                            300_000L,
                            Range.between(1, 86_400_000),
                            Importance.LOW,
                            "Wall-clock time without a face from a camera after which its open"
                                + " alerts are closed although its event time stopped (the camera"
                                + " went dark). At least vigil.alert.suppression.ms, and longer"
                                + " than a restart or Kafka outage, which also stop faces"
                                + " arriving.")
                    .define(
                            ALERT_MAX_EXPECTED_FALSE_PER_HOUR,
                            Type.DOUBLE,
                            0.1,
                            Range.between(0, 1_000),
                            Importance.MEDIUM,
                            "False alerts per camera-hour the operator accepts. At start the job"
                                    + " estimates them for the watchlist's size, the threshold"
                                    + " and the consensus rule from the calibrated impostor"
                                    + " scores, records the estimate in the JOB_STARTED audit"
                                    + " event, and logs a WARN when it (or its 95 % upper"
                                    + " bound) exceeds this.")
                    .define(
                            ALERT_EXPECTED_PEOPLE_PER_HOUR,
                            Type.DOUBLE,
                            300.0,
                            Range.between(0, 1_000_000),
                            Importance.LOW,
                            "People passing a camera per hour, for the false-alert estimate.")
                    .define(
                            ALERT_EXPECTED_FRAMES_PER_PERSON,
                            Type.INT,
                            6,
                            Range.between(1, 10_000),
                            Importance.LOW,
                            "Frames in which a passing person's face is searched (time in view"
                                    + " x vigil.ingest.fps), for the false-alert estimate.");

    public AlertSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
        try {
            tracking();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    ALERT_SUPPRESSION_MS
                            + " / "
                            + TRACK_TIMEOUT_MS
                            + " / "
                            + ALERT_SILENT_CAMERA_MS,
                    getLong(ALERT_SUPPRESSION_MS),
                    e.getMessage());
        }
    }

    public TrackingSettings tracking() {
        return new TrackingSettings(
                getDouble(TRACK_MIN_IOU).floatValue(),
                getDouble(TRACK_MAX_CENTRE_SHIFT).floatValue(),
                getDouble(TRACK_MAX_SPEED).floatValue(),
                getLong(TRACK_TIMEOUT_MS),
                getInt(ALERT_CONSENSUS_FRAMES),
                getLong(ALERT_CONSENSUS_WINDOW_MS),
                getLong(ALERT_SUPPRESSION_MS),
                getLong(ALERT_UPDATE_INTERVAL_MS),
                getLong(ALERT_SILENT_CAMERA_MS));
    }

    public double maxExpectedFalseAlertsPerHour() {
        return getDouble(ALERT_MAX_EXPECTED_FALSE_PER_HOUR);
    }

    /**
     * False alerts per camera-hour expected for a watchlist of {@code watchlistFaces} faces at
     * {@code threshold} and the consensus rule in force; empty when the sample does not cover the
     * threshold.
     */
    public Optional<FalseAlertEstimate.Result> falseAlertEstimate(
            ImpostorSample impostors, double threshold, long watchlistFaces) {
        if (threshold < impostors.tailFrom()) {
            return Optional.empty();
        }
        return Optional.of(
                FalseAlertEstimate.of(
                        impostors,
                        threshold,
                        new FalseAlertEstimate.Load(
                                watchlistFaces,
                                getDouble(ALERT_EXPECTED_PEOPLE_PER_HOUR),
                                getInt(ALERT_EXPECTED_FRAMES_PER_PERSON),
                                getInt(ALERT_CONSENSUS_FRAMES))));
    }
}
