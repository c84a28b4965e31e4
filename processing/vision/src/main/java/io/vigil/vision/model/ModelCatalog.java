package io.vigil.vision.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds model manifests: the built-in ones shipped in this jar (their files under the assets
 * directory, fetched by deploy/bin/fetch-assets.sh) and user manifests given as a path to a {@code
 * .json} file (their files relative to the manifest).
 */
public final class ModelCatalog {
    private static final String RESOURCES = "/io/vigil/vision/model/manifests/";
    private static final String BUILT_IN = "built-in:";

    public static final String DEFAULT_DETECTOR = "ultraface-rfb320-faceplugin";
    public static final String DEFAULT_LANDMARKS = "landmarks68-faceplugin";
    public static final String DEFAULT_EMBEDDER = "dlib-resnet-v1-faceapi-1.7.15";

    /** Setting value that means: align with the detector's keypoints, no landmark model. */
    public static final String NONE = "none";

    private ModelCatalog() {}

    /** Ids of the built-in manifests, in catalogue order. */
    public static List<String> builtInIds() {
        List<String> ids = new ArrayList<>();
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCES + "index.txt");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(ids::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    public static ModelManifest builtIn(String id) {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCES + id + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no built-in model "
                                + id
                                + " (built-in: "
                                + builtInIds()
                                + "; or give the path of a manifest .json)");
            }
            ModelManifest m = ModelManifest.parse(in, BUILT_IN + id);
            if (!m.id().equals(id)) {
                throw new IllegalStateException("built-in manifest " + id + " has id " + m.id());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A built-in id, or the path of a manifest file. */
    public static ModelManifest resolve(String ref) {
        if (!ref.endsWith(".json")) {
            return builtIn(ref);
        }
        Path p = Path.of(ref).toAbsolutePath();
        try (InputStream in = Files.newInputStream(p)) {
            return ModelManifest.parse(in, p.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model manifest " + p + ": " + e, e);
        }
    }

    /** Whether the model is converted from another format rather than published as ONNX. */
    public static boolean isConverted(ModelManifest m) {
        return !"none".equals(m.source().conversion());
    }

    /**
     * The manifest's own bytes, as it was read: the built-in resource, or the user's file. The
     * converter reads its conversion from these, as the build does.
     */
    public static InputStream open(ModelManifest m) throws IOException {
        if (isBuiltIn(m)) {
            String id = m.origin().substring(BUILT_IN.length());
            InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCES + id + ".json");
            if (in == null) {
                throw new IOException("no built-in manifest " + id);
            }
            return in;
        }
        return Files.newInputStream(Path.of(m.origin()));
    }

    public static boolean isBuiltIn(ModelManifest m) {
        return m.origin().startsWith(BUILT_IN);
    }

    /** The model file: built-in ones under the assets dir, others next to their manifest. */
    public static Path file(ModelManifest m, Path assetsDir) {
        Path f = Path.of(m.file());
        if (f.isAbsolute()) {
            return f;
        }
        return isBuiltIn(m) ? assetsDir.resolve(f) : Path.of(m.origin()).getParent().resolve(f);
    }

    /**
     * The installed model file. Models converted from another format are converted by the build or
     * {@code vigil models convert}, never here: the runtime only loads files and checks their
     * SHA-256.
     */
    public static Path installed(ModelManifest m, Path assetsDir) {
        Path target = file(m, assetsDir);
        if (Files.isRegularFile(target)) {
            return target;
        }
        String how =
                isConverted(m)
                        ? "convert it with ./vigil models convert " + m.id()
                        : "run deploy/bin/fetch-assets.sh";
        throw new IllegalArgumentException(
                "model " + m.id() + " is not installed at " + target + " (" + how + ")");
    }
}
