package io.vigil.processing.face;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where the three face models are and what they must hash to. The default is the faceplugin stack
 * (UltraFace RFB-320, 68-point landmarks, MobileFaceNet-style 512-d embedder).
 */
public record FaceModels(
        String detectorPath,
        String detectorSha256,
        String landmarkPath,
        String landmarkSha256,
        String embedderPath,
        String embedderSha256,
        String embedderId)
        implements Serializable {

    public static final String DEFAULT_EMBEDDER_ID = "faceplugin-fr_feature-0.0.1";

    /** The default models as fetched by deploy/bin/fetch-assets.sh into {@code assetsDir}. */
    public static FaceModels defaults(Path assetsDir) {
        Path m = assetsDir.resolve("models");
        return new FaceModels(
                m.resolve("fr_detect.onnx").toString(),
                "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
                m.resolve("fr_landmark.onnx").toString(),
                "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
                m.resolve("fr_feature.onnx").toString(),
                "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
                DEFAULT_EMBEDDER_ID);
    }
}
