package io.vigil.processing.model;

import io.vigil.processing.model.convert.DlibResNetToOnnx;
import io.vigil.processing.model.convert.TfjsToOnnx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds model manifests: the built-in ones shipped in this jar (their files under the assets
 * directory, fetched by deploy/bin/fetch-assets.sh) and user manifests given as a path to a {@code
 * .json} file (their files relative to the manifest). Also materialises models that are converted
 * at build time rather than downloaded as ONNX.
 */
public final class ModelCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private static final String RESOURCES = "/io/vigil/processing/model/manifests/";
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
     * Source conversions {@link #ensure} knows: TensorFlow.js graphs, and dlib's ResNet weights.
     */
    public static final Set<String> CONVERSIONS = Set.of("tfjs-graph", "dlib-resnet-tfjs-weights");

    /**
     * Makes sure a model that is converted rather than downloaded exists: a {@code tfjs-graph}
     * source is converted from the TensorFlow.js graph fetched next to where the ONNX file goes, a
     * {@code dlib-resnet-tfjs-weights} source from the weights manifest of dlib's ResNet face
     * descriptor. The SHA-256 is checked by whoever loads the file, so a conversion that changed is
     * refused.
     */
    public static Path ensure(ModelManifest m, Path assetsDir) {
        Path target = file(m, assetsDir);
        if (Files.isRegularFile(target) || !CONVERSIONS.contains(m.source().conversion())) {
            return target;
        }
        if (m.source().files().isEmpty()) {
            throw new IllegalArgumentException(
                    "model manifest " + m.origin() + ": source.files must name the model.json");
        }
        Path modelJson =
                target.resolveSibling(Path.of(m.source().files().get(0)).getFileName().toString());
        if (!Files.isRegularFile(modelJson)) {
            throw new IllegalArgumentException(
                    "model "
                            + m.id()
                            + " is converted from "
                            + modelJson
                            + ", which does not exist (run deploy/bin/fetch-assets.sh)");
        }
        try {
            String doc =
                    "Converted by Vigil from " + m.source().pkg() + " " + m.source().files().get(0);
            byte[] onnx =
                    "tfjs-graph".equals(m.source().conversion())
                            ? TfjsToOnnx.convert(modelJson, doc)
                            : DlibResNetToOnnx.convert(modelJson, doc);
            Path tmp =
                    Files.createTempFile(
                            target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, onnx);
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            LOG.info("converted {} to {} ({} bytes)", modelJson, target, onnx.length);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot convert " + modelJson + ": " + e.getMessage(), e);
        }
    }
}
