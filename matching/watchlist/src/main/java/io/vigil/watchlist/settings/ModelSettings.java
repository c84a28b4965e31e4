package io.vigil.watchlist.settings;

import io.vigil.common.config.Settings;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.OnnxModel;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which face models run and how: detector, landmarks, embedder, detection limits, inference
 * threads. The constructor only parses; {@link #resolve} reads the manifests and {@link #verify}
 * loads the models, each an explicit step.
 */
public final class ModelSettings extends AbstractConfig {
    public static final String ASSETS_DIR = "vigil.assets.dir";
    public static final String MODEL_DETECTOR = "vigil.model.detector";
    public static final String MODEL_LANDMARK = "vigil.model.landmark";
    public static final String MODEL_EMBEDDER = "vigil.model.embedder";
    public static final String DETECT_MIN_CONFIDENCE = "vigil.detect.min.confidence";
    public static final String DETECT_NMS_IOU = "vigil.detect.nms.iou";
    public static final String DETECT_MAX_FACES = "vigil.detect.max.faces";
    public static final String DETECT_MIN_FACE_PX = "vigil.detect.min.face.px";
    public static final String DETECT_TILE_MIN_FACE_PX = "vigil.detect.tile.min.face.px";
    public static final String INFERENCE_THREADS = "vigil.inference.intra.op.threads";
    public static final String INFERENCE_CUDA = "vigil.inference.cuda";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            ASSETS_DIR,
                            Type.STRING,
                            AssetPaths.root().toString(),
                            Importance.MEDIUM,
                            "Cache filled by deploy/bin/fetch-assets.sh; default model paths are"
                                    + " resolved in it.")
                    .define(
                            MODEL_DETECTOR,
                            Type.STRING,
                            ModelCatalog.DEFAULT_DETECTOR,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Face detector: a built-in model id (`vigil models list`) or the path"
                                    + " of a model manifest .json.")
                    .define(
                            MODEL_LANDMARK,
                            Type.STRING,
                            ModelCatalog.DEFAULT_LANDMARKS,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Landmark model (id or manifest path), or `none` to align faces by the"
                                    + " detector's own keypoints.")
                    .define(
                            MODEL_EMBEDDER,
                            Type.STRING,
                            ModelCatalog.DEFAULT_EMBEDDER,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Face embedder (id or manifest path). Its id is stored with each"
                                    + " enrolled face; only faces of the same id are compared.")
                    .define(
                            DETECT_MIN_CONFIDENCE,
                            Type.DOUBLE,
                            0.7,
                            Range.between(0.05, 0.99),
                            Importance.LOW,
                            "Detector score below which a box is dropped.")
                    .define(
                            DETECT_NMS_IOU,
                            Type.DOUBLE,
                            0.4,
                            Range.between(0.05, 0.95),
                            Importance.LOW,
                            "Overlap above which the weaker of two boxes is suppressed.")
                    .define(
                            DETECT_MAX_FACES,
                            Type.INT,
                            20,
                            Range.between(1, 500),
                            Importance.LOW,
                            "Most faces analysed per frame.")
                    .define(
                            DETECT_MIN_FACE_PX,
                            Type.INT,
                            24,
                            Range.between(8, 4096),
                            Importance.LOW,
                            "Faces smaller than this (pixels, either side) are not embedded: too"
                                    + " small to identify reliably.")
                    .define(
                            DETECT_TILE_MIN_FACE_PX,
                            Type.INT,
                            DetectorSettings.DEFAULT_TILE_MIN_FACE,
                            (name, value) -> {
                                int v = (Integer) value;
                                if (v != 0 && (v < 8 || v > 4096)) {
                                    throw new ConfigException(
                                            name, value, "must be 0 (whole frame only) or 8..4096");
                                }
                            },
                            Importance.MEDIUM,
                            "Smallest face height (frame pixels) the detector must find. A frame"
                                    + " too large for the whole-frame pass to see faces this"
                                    + " small (an HD camera) is also searched in overlapping"
                                    + " tiles at native resolution, which costs one detector run"
                                    + " per tile (`vigil bench-detect`). 0: whole frame only.")
                    .define(
                            INFERENCE_THREADS,
                            Type.INT,
                            1,
                            Range.between(1, 256),
                            Importance.LOW,
                            "ONNX Runtime intra-op threads per operator instance.")
                    .define(
                            INFERENCE_CUDA,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Try the CUDA execution provider; falls back to CPU with a logged"
                                    + " reason.");

    public ModelSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    /** The model settings of a properties file (optional), the environment and overrides. */
    public static ModelSettings load(
            Path file, Map<String, String> env, Map<String, String> overrides) {
        return new ModelSettings(Settings.load(file, env, overrides, CONFIG));
    }

    public Path assetsDir() {
        return Path.of(getString(ASSETS_DIR));
    }

    /** Reads the manifests the model settings name; errors name the setting. */
    public FaceModels resolve() {
        ModelManifest detector = manifest(MODEL_DETECTOR);
        ModelManifest landmarks =
                ModelCatalog.NONE.equals(getString(MODEL_LANDMARK))
                        ? null
                        : manifest(MODEL_LANDMARK);
        ModelManifest embedder = manifest(MODEL_EMBEDDER);
        try {
            return new FaceModels(detector, landmarks, embedder, assetsDir().toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    MODEL_DETECTOR + " / " + MODEL_LANDMARK + " / " + MODEL_EMBEDDER,
                    getString(MODEL_DETECTOR),
                    e.getMessage());
        }
    }

    private ModelManifest manifest(String setting) {
        try {
            return ModelCatalog.resolve(getString(setting));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ConfigException(setting, getString(setting), e.getMessage());
        }
    }

    /**
     * Loads each model once and closes it, so a missing, tampered or unreadable model fails when a
     * job or tool starts, naming its setting, instead of failing every task restart.
     */
    public void verify(FaceModels models) {
        verify(MODEL_DETECTOR, models.detector());
        if (models.landmarks() != null) {
            verify(MODEL_LANDMARK, models.landmarks());
        }
        verify(MODEL_EMBEDDER, models.embedder());
    }

    private void verify(String setting, ModelManifest m) {
        try {
            OnnxModel.open(m, assetsDir(), inferenceOptions()).close();
        } catch (OnnxModel.ModelLoadException
                | IllegalArgumentException
                | java.io.UncheckedIOException e) {
            throw new ConfigException(
                    setting, ModelCatalog.file(m, assetsDir()).toString(), e.getMessage());
        }
    }

    public DetectorSettings detectorSettings() {
        return new DetectorSettings(
                getDouble(DETECT_MIN_CONFIDENCE).floatValue(),
                getDouble(DETECT_NMS_IOU).floatValue(),
                getInt(DETECT_MAX_FACES),
                getInt(DETECT_MIN_FACE_PX),
                getInt(DETECT_TILE_MIN_FACE_PX));
    }

    public InferenceOptions inferenceOptions() {
        return new InferenceOptions(getInt(INFERENCE_THREADS), getBoolean(INFERENCE_CUDA), 0);
    }
}
