package io.vigil.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;

/**
 * Converts a face model published in another format to ONNX, writing the file atomically. A build
 * and operator step ({@code vigil models convert}); the runtime only loads and hash-checks models.
 */
public final class ModelConverter {
    /** TensorFlow.js graphs, and dlib's ResNet descriptor as TensorFlow.js weights. */
    public static final String TFJS_GRAPH = "tfjs-graph";

    public static final String DLIB_RESNET = "dlib-resnet-tfjs-weights";

    /** dlib's descriptor in int8 QDQ form, with activation ranges from the manifest. */
    public static final String DLIB_RESNET_INT8 = "dlib-resnet-tfjs-weights-int8";

    public static final Set<String> CONVERSIONS = Set.of(TFJS_GRAPH, DLIB_RESNET, DLIB_RESNET_INT8);

    private ModelConverter() {}

    /**
     * Converts a model as its manifest describes it: the source file (the first of the manifest's
     * {@code source.files}) lies next to where the ONNX file goes, as the asset fetch puts it.
     */
    public static long convertNextTo(
            String conversion,
            String pkg,
            String sourceFile,
            Map<String, DlibResNetToOnnx.Range> activationRanges,
            Path target) {
        Path source = target.resolveSibling(Path.of(sourceFile).getFileName().toString());
        return convert(
                conversion,
                source,
                activationRanges,
                target,
                "Converted by Vigil from " + pkg + " " + sourceFile);
    }

    /**
     * Converts {@code source} (a TF.js {@code model.json} or weights manifest) to {@code target};
     * an int8 conversion quantises to {@code activationRanges}. Returns the size of the ONNX file
     * written.
     */
    public static long convert(
            String conversion,
            Path source,
            Map<String, DlibResNetToOnnx.Range> activationRanges,
            Path target,
            String doc) {
        if (!CONVERSIONS.contains(conversion)) {
            throw new IllegalArgumentException(
                    "unknown conversion " + conversion + " (known: " + CONVERSIONS + ")");
        }
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException(
                    source + " does not exist (run deploy/bin/fetch-assets.sh)");
        }
        try {
            byte[] onnx =
                    switch (conversion) {
                        case TFJS_GRAPH -> TfjsToOnnx.convert(source, doc);
                        case DLIB_RESNET_INT8 ->
                                DlibResNetToOnnx.convertInt8(source, activationRanges, doc);
                        default -> DlibResNetToOnnx.convert(source, doc);
                    };
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp =
                    Files.createTempFile(
                            target.toAbsolutePath().getParent(),
                            target.getFileName().toString(),
                            ".tmp");
            Files.write(tmp, onnx);
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return onnx.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + source + ": " + e.getMessage(), e);
        }
    }
}
