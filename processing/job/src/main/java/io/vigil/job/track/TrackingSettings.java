package io.vigil.job.track;

import java.io.Serializable;

/**
 * How faces become tracks and tracks become alerts.
 *
 * @param minIou overlap with a track's latest box that joins a face to it
 * @param maxCentroidShift centre distance, in face heights, that still joins a face to a track when
 *     the boxes do not overlap enough, plus {@code maxSpeed} for each second between the two faces
 * @param maxSpeed face heights per second a person may move between two faces of a track: a person
 *     crossing the view at walking pace moves about 7 face heights a second, 3.5 between two frames
 *     sampled at 2 fps
 * @param trackTimeoutMs capture time without a face after which a track ends
 * @param consensusFrames matching frames of one track and entry needed to raise an alert
 * @param consensusWindowMs capture-time window those frames must fall in
 * @param suppressionMs after an alert, further matches of the same entry on the same camera update
 *     it instead of raising a new one until this long passes without a match; then it closes
 * @param updateIntervalMs least capture time between two update revisions of an open alert
 * @param silentCameraMs wall-clock time without a face from a camera after which its tracks end and
 *     its alerts close even though its event time has stopped (the camera went dark); long enough
 *     to ride out a restart or a Kafka outage, which also stop faces arriving
 */
public record TrackingSettings(
        float minIou,
        float maxCentroidShift,
        float maxSpeed,
        long trackTimeoutMs,
        int consensusFrames,
        long consensusWindowMs,
        long suppressionMs,
        long updateIntervalMs,
        long silentCameraMs)
        implements Serializable {

    public TrackingSettings {
        if (minIou <= 0 || minIou >= 1) {
            throw new IllegalArgumentException("minIou must be in (0, 1), was " + minIou);
        }
        if (maxCentroidShift < 0) {
            throw new IllegalArgumentException(
                    "maxCentroidShift must be >= 0, was " + maxCentroidShift);
        }
        if (maxSpeed < 0) {
            throw new IllegalArgumentException("maxSpeed must be >= 0, was " + maxSpeed);
        }
        if (trackTimeoutMs < 1) {
            throw new IllegalArgumentException(
                    "trackTimeoutMs must be >= 1, was " + trackTimeoutMs);
        }
        if (consensusFrames < 1) {
            throw new IllegalArgumentException(
                    "consensusFrames must be >= 1, was " + consensusFrames);
        }
        if (consensusWindowMs < 0) {
            throw new IllegalArgumentException(
                    "consensusWindowMs must be >= 0, was " + consensusWindowMs);
        }
        if (suppressionMs < trackTimeoutMs) {
            throw new IllegalArgumentException(
                    "suppressionMs ("
                            + suppressionMs
                            + ") must be >= trackTimeoutMs ("
                            + trackTimeoutMs
                            + "): an alert must outlive the track that raised it");
        }
        if (silentCameraMs < suppressionMs) {
            throw new IllegalArgumentException(
                    "silentCameraMs ("
                            + silentCameraMs
                            + ") must be >= suppressionMs ("
                            + suppressionMs
                            + ")");
        }
        if (updateIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "updateIntervalMs must be >= 0, was " + updateIntervalMs);
        }
    }

    /** Defaults for cameras sampled at 2 fps. */
    public static TrackingSettings defaults() {
        return new TrackingSettings(0.3f, 1.0f, 10f, 3_000, 3, 5_000, 30_000, 10_000, 300_000);
    }
}
