package io.vigil.convert;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Converts a face model published in another format to the ONNX file its manifest pins. The one
 * conversion path: the build ({@link ConvertModels}), {@code vigil models convert} and the pin
 * tests all read a manifest with {@link Spec#of} and convert with {@link #ensure}, so what a test
 * pins is byte for byte what a user's machine writes. The runtime only loads and hash-checks.
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
     * What a manifest says about its conversion: the model's id, its file (relative to the asset
     * cache for built-in models) and pinned SHA-256, the conversion, the package and source file
     * (the first of {@code source.files}, which lies next to the ONNX file, as the asset fetch puts
     * it) and, for int8, the activation ranges.
     */
    public record Spec(
            String id,
            String origin,
            String file,
            String sha256,
            String conversion,
            String pkg,
            String sourceFile,
            Map<String, DlibResNetToOnnx.Range> activationRanges) {

        /**
         * The conversion a manifest asks for; empty when the model is published as ONNX. Errors
         * name {@code origin} (the manifest's path or built-in id) and the field.
         */
        public static Optional<Spec> of(JsonNode manifest, String origin) {
            JsonNode source = manifest.path("source");
            String conversion = source.path("conversion").asText("none");
            if ("none".equals(conversion)) {
                return Optional.empty();
            }
            if (!CONVERSIONS.contains(conversion)) {
                throw new IllegalArgumentException(
                        "model manifest "
                                + origin
                                + ": source.conversion "
                                + conversion
                                + " is not known (known: none, "
                                + String.join(", ", CONVERSIONS.stream().sorted().toList())
                                + ")");
            }
            return Optional.of(
                    new Spec(
                            required(manifest, "id", origin),
                            origin,
                            required(manifest, "file", origin),
                            required(manifest, "sha256", origin),
                            conversion,
                            required(source, "package", origin),
                            required(source.path("files"), 0, origin),
                            parseRanges(source.path("activationRanges"), origin)));
        }

        /** The ONNX model's doc string: the package and file it was converted from. */
        String docString() {
            return "Converted by Vigil from " + pkg + " " + sourceFile;
        }
    }

    /** A converted file against its pin. */
    public enum State {
        /** The file is there and has the pinned SHA-256. */
        CURRENT,
        MISSING,
        /** The file is there with another SHA-256: converted by another version, or damaged. */
        STALE
    }

    /** What {@link #ensure} found and did. */
    public record Outcome(State found, boolean converted, long bytes) {}

    /** A conversion that did not give the bytes its manifest pins. */
    public static final class PinMismatchException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PinMismatchException(String message) {
            super(message);
        }
    }

    public static State state(Spec spec, Path target) {
        if (!Files.isRegularFile(target)) {
            return State.MISSING;
        }
        try {
            return sha256(Files.readAllBytes(target)).equals(spec.sha256())
                    ? State.CURRENT
                    : State.STALE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code target} the file the manifest pins: converts when it is missing, stale (another
     * version's conversion, or damaged) or {@code force}d, and checks the result against the pin
     * before it replaces anything. A result that does not match is refused with both hashes, and
     * nothing is written.
     */
    public static Outcome ensure(Spec spec, Path target, boolean force) {
        State found = state(spec, target);
        if (found == State.CURRENT && !force) {
            return new Outcome(found, false, 0);
        }
        byte[] onnx = convert(spec, target);
        String got = sha256(onnx);
        if (!got.equals(spec.sha256())) {
            throw new PinMismatchException(
                    "converting "
                            + spec.id()
                            + " ("
                            + spec.conversion()
                            + " from "
                            + spec.pkg()
                            + " "
                            + spec.sourceFile()
                            + ") gave SHA-256 "
                            + got
                            + ", but its manifest "
                            + spec.origin()
                            + " pins "
                            + spec.sha256()
                            + ": the converter's output changed. Nothing was written; if the"
                            + " change is intended, pin the new hash in the manifest.");
        }
        write(target, onnx);
        return new Outcome(found, true, onnx.length);
    }

    /** The ONNX bytes, converted from the source file next to {@code target}. */
    private static byte[] convert(Spec spec, Path target) {
        Path source = target.resolveSibling(Path.of(spec.sourceFile()).getFileName().toString());
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException(
                    source
                            + " does not exist: "
                            + spec.id()
                            + " is converted from it (run deploy/bin/fetch-assets.sh)");
        }
        try {
            return switch (spec.conversion()) {
                case TFJS_GRAPH -> TfjsToOnnx.convert(source, spec.docString());
                case DLIB_RESNET_INT8 ->
                        DlibResNetToOnnx.convertInt8(
                                source, spec.activationRanges(), spec.docString());
                default -> DlibResNetToOnnx.convert(source, spec.docString());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Atomically, with the mode a plain new file gets (0644 under the usual umask), like the
     * fetched models beside it: a temporary file from {@code Files.createTempFile} would be 0600,
     * unreadable to another user of a shared or mounted cache.
     */
    private static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream out =
                    Files.newOutputStream(
                            tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(JsonNode node, String field, String origin) {
        String v = node.path(field).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException(
                    "model manifest " + origin + ": " + field + " is required for a conversion");
        }
        return v;
    }

    private static String required(JsonNode array, int index, String origin) {
        String v = array.path(index).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException(
                    "model manifest "
                            + origin
                            + ": source.files must name the file a conversion reads");
        }
        return v;
    }

    /** {@code {"tensor": [min, max], ...}}, as a manifest's {@code source.activationRanges}. */
    private static Map<String, DlibResNetToOnnx.Range> parseRanges(JsonNode node, String origin) {
        Map<String, DlibResNetToOnnx.Range> out = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode v = e.getValue();
                            if (!v.isArray()
                                    || v.size() != 2
                                    || !v.get(0).isNumber()
                                    || !v.get(1).isNumber()) {
                                throw new IllegalArgumentException(
                                        "model manifest "
                                                + origin
                                                + ": source.activationRanges."
                                                + e.getKey()
                                                + " must be [min, max]");
                            }
                            out.put(
                                    e.getKey(),
                                    new DlibResNetToOnnx.Range(
                                            (float) v.get(0).asDouble(),
                                            (float) v.get(1).asDouble()));
                        });
        return Collections.unmodifiableMap(out);
    }
}
