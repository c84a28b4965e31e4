package io.vigil.vision.face;

import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The face models one analyzer runs, each described by its manifest: a detector, a landmark model
 * (null when the detector's own keypoints align the face) and an embedder; and the assets directory
 * the built-in manifests' files live under.
 */
public record FaceModels(
        ModelManifest detector, ModelManifest landmarks, ModelManifest embedder, String assetsDir)
        implements Serializable {

    public FaceModels {
        require(detector, ModelManifest.Role.DETECTOR, "detector");
        require(embedder, ModelManifest.Role.EMBEDDER, "embedder");
        if (landmarks != null) {
            require(landmarks, ModelManifest.Role.LANDMARKS, "landmark model");
        }
    }

    /** The built-in defaults (see {@link ModelCatalog}) with files under {@code assetsDir}. */
    public static FaceModels defaults(Path assetsDir) {
        return new FaceModels(
                ModelCatalog.builtIn(ModelCatalog.DEFAULT_DETECTOR),
                ModelCatalog.builtIn(ModelCatalog.DEFAULT_LANDMARKS),
                ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER),
                assetsDir.toString());
    }

    public String embedderId() {
        return embedder.id();
    }

    public Path path(ModelManifest m) {
        return ModelCatalog.file(m, Path.of(assetsDir));
    }

    private static void require(ModelManifest m, ModelManifest.Role role, String what) {
        if (m == null) {
            throw new IllegalArgumentException("a " + what + " manifest is required");
        }
        if (m.role() != role) {
            throw new IllegalArgumentException(
                    "model "
                            + m.id()
                            + " ("
                            + m.origin()
                            + ") is a "
                            + m.role()
                            + ", not a "
                            + what);
        }
    }
}
