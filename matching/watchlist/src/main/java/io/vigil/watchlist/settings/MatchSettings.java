package io.vigil.watchlist.settings;

import io.vigil.index.MatchPolicy;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.model.ImpostorSample;
import io.vigil.vision.model.ModelManifest;
import io.vigil.watchlist.calibration.Calibration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a face matches: threshold, its calibration, how many candidates, which faces may match. The
 * constructor only parses; {@link #resolve} reads the calibration file and applies the embedder's
 * floor.
 */
public final class MatchSettings extends AbstractConfig {
    public static final String MATCH_THRESHOLD = "vigil.match.threshold";
    public static final String MATCH_TOP_K = "vigil.match.top.k";
    public static final String MATCH_CALIBRATION_FILE = "vigil.match.calibration.file";
    public static final String MATCH_QUALITY_FILTER = "vigil.match.quality.filter";

    /** Only the ConfigDef's placeholder: unset, the embedder manifest's threshold applies. */
    public static final double DEFAULT_MODEL_THRESHOLD = 0.50;

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            MATCH_THRESHOLD,
                            Type.DOUBLE,
                            DEFAULT_MODEL_THRESHOLD,
                            Range.between(-1, 1),
                            Importance.HIGH,
                            "Cosine similarity at or above which a face becomes an alert candidate."
                                    + " Model-specific scale; unset, the embedder manifest's"
                                    + " calibrated threshold. May not be set below the manifest's"
                                    + " floor.")
                    .define(
                            MATCH_TOP_K,
                            Type.INT,
                            5,
                            Range.between(1, 100),
                            Importance.LOW,
                            "Watchlist entries retrieved per face before the threshold is applied.")
                    .define(
                            MATCH_CALIBRATION_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Calibration written by `vigil calibrate` for the embedder in use. Its"
                                + " threshold (chosen for a target false-match rate) applies unless"
                                + " vigil.match.threshold is set, and its floor can never be"
                                + " undercut. Required for an embedder other than the default.")
                    .define(
                            MATCH_QUALITY_FILTER,
                            Type.STRING,
                            "LOW",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "NONE", "LOW", "MEDIUM", "HIGH"),
                            Importance.MEDIUM,
                            "Quality gate of camera faces before the embedder (face size,"
                                + " sharpness, brightness, pose, detector confidence; same levels"
                                + " as the enrolment filter). Skipped faces are counted per reason"
                                + " in the faces-skipped-quality metrics.");

    private static final Logger LOG = LoggerFactory.getLogger(MatchSettings.class);

    /** The match rule in force, with the calibration and impostor scores it rests on. */
    public record Resolved(
            MatchPolicy policy,
            double threshold,
            Optional<Calibration> calibration,
            Optional<ImpostorSample> impostors) {}

    public MatchSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    public QualityFilter qualityGate() {
        return QualityFilter.valueOf(getString(MATCH_QUALITY_FILTER).toUpperCase(Locale.ROOT));
    }

    /**
     * The floor is the embedder manifest's or the calibration's, whichever is higher; the threshold
     * is the explicit setting, else the calibrated one, else the manifest's. Reads the calibration
     * file when one is set.
     */
    public Resolved resolve(ModelManifest embedder) {
        Calibration calibration = loadCalibration(embedder.id());
        ModelManifest.Threshold t = embedder.threshold();
        double floor = t.floor();
        if (calibration != null) {
            floor = Math.max(floor, calibration.floor());
        }
        boolean explicit = originals().containsKey(MATCH_THRESHOLD);
        double threshold = explicit ? getDouble(MATCH_THRESHOLD) : t.value();
        if (calibration != null) {
            if (!explicit) {
                threshold = Math.max(floor, calibration.threshold());
            } else if (Math.abs(threshold - calibration.threshold()) > 1e-6) {
                LOG.warn(
                        "{}={} overrides the calibrated threshold {} (FMR {}) of {}",
                        MATCH_THRESHOLD,
                        threshold,
                        calibration.threshold(),
                        calibration.targetFmr(),
                        getString(MATCH_CALIBRATION_FILE));
            }
        }
        if (threshold < floor) {
            throw new ConfigException(
                    MATCH_THRESHOLD,
                    threshold,
                    "is below the calibrated floor "
                            + (float) floor
                            + " of model "
                            + embedder.id());
        }
        MatchPolicy policy =
                new MatchPolicy(
                        embedder.id(), (float) threshold, (float) floor, getInt(MATCH_TOP_K));
        ImpostorSample impostors =
                calibration != null ? calibration.impostors() : (t == null ? null : t.impostors());
        return new Resolved(
                policy,
                threshold,
                Optional.ofNullable(calibration),
                Optional.ofNullable(impostors));
    }

    private Calibration loadCalibration(String embedderId) {
        String file = getString(MATCH_CALIBRATION_FILE);
        if (file.isBlank()) {
            return null;
        }
        Calibration c;
        try {
            c = Calibration.load(Path.of(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(MATCH_CALIBRATION_FILE, file, e.getMessage());
        }
        if (!c.modelId().equals(embedderId)) {
            throw new ConfigException(
                    MATCH_CALIBRATION_FILE,
                    file,
                    "was made for embedder "
                            + c.modelId()
                            + ", not "
                            + embedderId
                            + " ("
                            + ModelSettings.MODEL_EMBEDDER
                            + ")");
        }
        return c;
    }
}
