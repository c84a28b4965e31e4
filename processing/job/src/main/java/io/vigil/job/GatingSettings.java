package io.vigil.job;

import io.vigil.vision.gate.FaceTracks;
import io.vigil.vision.gate.MotionGate;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * What the detect-embed operator may leave out: detector passes where a camera's scene did not
 * change (the motion gate) and embeddings of faces that continue a decided track. Parsing and
 * validation only.
 */
public final class GatingSettings extends AbstractConfig {
    public static final String MOTION_FULL_PASS_INTERVAL_MS =
            "vigil.detect.motion.full.pass.interval.ms";
    public static final String MOTION_CELL_PX = "vigil.detect.motion.cell.px";
    public static final String MOTION_THRESHOLD = "vigil.detect.motion.threshold";
    public static final String MOTION_MIN_BLOCKS = "vigil.detect.motion.min.blocks";
    public static final String REEMBED_INTERVAL_MS = "vigil.embed.track.reembed.interval.ms";
    public static final String DECIDE_FACES = "vigil.embed.track.decide.faces";
    public static final String QUALITY_MARGIN = "vigil.embed.track.quality.margin";
    public static final String FORGET_MS = "vigil.embed.track.forget.ms";
    public static final String MIN_IOU = "vigil.embed.track.min.iou";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            MOTION_FULL_PASS_INTERVAL_MS,
                            Type.LONG,
                            MotionGate.Settings.defaults().fullPassIntervalMs(),
                            Range.between(0, 600_000),
                            Importance.MEDIUM,
                            "Motion gate: between two whole-frame searches (capture time), a"
                                    + " camera's frame is searched only where its scene changed"
                                    + " since the previous frame and around the faces found in"
                                    + " it. The interval bounds how long a person who arrives"
                                    + " without moving could go unseen. 0: search every frame"
                                    + " whole (the gate off).")
                    .define(
                            MOTION_CELL_PX,
                            Type.INT,
                            MotionGate.Settings.defaults().cellPx(),
                            (name, value) -> {
                                int v = (Integer) value;
                                if (v < 8 || v > 512 || v % 8 != 0) {
                                    throw new ConfigException(
                                            name, value, "must be a multiple of 8 in 8..512");
                                }
                            },
                            Importance.LOW,
                            "Motion gate: side of a grid cell, frame pixels.")
                    .define(
                            MOTION_THRESHOLD,
                            Type.INT,
                            MotionGate.Settings.defaults().threshold(),
                            Range.between(1, 255),
                            Importance.LOW,
                            "Motion gate: grey levels by which an 8x8 block's mean must change,"
                                    + " after the frame's overall brightness change is taken out,"
                                    + " to count as changed. Sensor noise is averaged away in the"
                                    + " blocks; raise this for very noisy night images.")
                    .define(
                            MOTION_MIN_BLOCKS,
                            Type.INT,
                            MotionGate.Settings.defaults().minBlocks(),
                            Range.atLeast(1),
                            Importance.LOW,
                            "Motion gate: changed 8x8 blocks that make a cell changed (at most"
                                    + " the blocks of a cell).")
                    .define(
                            REEMBED_INTERVAL_MS,
                            Type.LONG,
                            FaceTracks.Settings.defaults().reembedIntervalMs(),
                            Range.between(0, 600_000),
                            Importance.MEDIUM,
                            "A face that continues a decided track (its first"
                                    + " vigil.embed.track.decide.faces faces embedded) is embedded"
                                    + " again after this much capture time, or sooner when its"
                                    + " quality clearly improves. 0: embed every face.")
                    .define(
                            DECIDE_FACES,
                            Type.INT,
                            FaceTracks.Settings.defaults().decideAttempts(),
                            Range.between(1, 100),
                            Importance.LOW,
                            "Faces of a track embedded before it counts as decided; at least"
                                    + " vigil.alert.consensus.frames, so a track can always reach"
                                    + " the alert consensus.")
                    .define(
                            QUALITY_MARGIN,
                            Type.DOUBLE,
                            (double) FaceTracks.Settings.defaults().qualityMargin(),
                            Range.between(0.01, 0.99),
                            Importance.LOW,
                            "Rise of a face's overall quality (0..1) over its track's best that"
                                    + " reopens the track: its next faces are embedded again.")
                    .define(
                            FORGET_MS,
                            Type.LONG,
                            FaceTracks.Settings.defaults().forgetMs(),
                            Range.between(1, 60_000),
                            Importance.LOW,
                            "Capture time after which a track whose face was not seen is"
                                    + " forgotten. Tracks are boxes only, kept in memory.")
                    .define(
                            MIN_IOU,
                            Type.DOUBLE,
                            (double) FaceTracks.Settings.defaults().minIou(),
                            Range.between(0.05, 0.95),
                            Importance.LOW,
                            "Overlap with a track's last box that joins a face to it.");

    public GatingSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    public MotionGate.Settings motion() {
        int cell = getInt(MOTION_CELL_PX);
        int blocks = (cell / 8) * (cell / 8);
        if (getInt(MOTION_MIN_BLOCKS) > blocks) {
            throw new ConfigException(
                    MOTION_MIN_BLOCKS,
                    getInt(MOTION_MIN_BLOCKS),
                    "must be at most the " + blocks + " blocks of a " + cell + " px cell");
        }
        return new MotionGate.Settings(
                cell,
                getInt(MOTION_THRESHOLD),
                getInt(MOTION_MIN_BLOCKS),
                getLong(MOTION_FULL_PASS_INTERVAL_MS));
    }

    /**
     * The track rules; {@code consensusFrames} is the alert rule they must leave reachable and
     * {@code maxSpeed} the alert tracker's walking speed (face heights per second), which they
     * share.
     */
    public FaceTracks.Settings tracks(int consensusFrames, float maxSpeed) {
        if (getLong(REEMBED_INTERVAL_MS) > 0 && getInt(DECIDE_FACES) < consensusFrames) {
            throw new ConfigException(
                    DECIDE_FACES,
                    getInt(DECIDE_FACES),
                    "must be at least vigil.alert.consensus.frames ("
                            + consensusFrames
                            + "), or a track could stop being embedded before it can raise an"
                            + " alert");
        }
        return new FaceTracks.Settings(
                getInt(DECIDE_FACES),
                getDouble(QUALITY_MARGIN).floatValue(),
                getLong(REEMBED_INTERVAL_MS),
                getLong(FORGET_MS),
                getDouble(MIN_IOU).floatValue(),
                maxSpeed);
    }
}
