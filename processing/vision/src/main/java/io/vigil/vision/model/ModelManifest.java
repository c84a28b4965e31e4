package io.vigil.vision.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one model is and how to run it: family, file and SHA-256, licence and where it came from,
 * input tensor (name, layout, size, colour order, normalisation), named outputs and how to decode
 * them, and for embedders the vector size and calibrated threshold. The pipeline loads detectors,
 * landmark models and embedders only through manifests, so what runs is always written down.
 *
 * <p>Parsed from one small JSON file per model. Every error names the manifest and the field.
 */
public record ModelManifest(
        String id,
        Role role,
        String family,
        String file,
        String sha256,
        String licence,
        String licenceNotes,
        Source source,
        Input input,
        Map<String, String> outputs,
        Map<String, List<Double>> params,
        int embeddingDimension,
        Threshold threshold,
        String origin)
        implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a model does in the pipeline. */
    public enum Role {
        DETECTOR,
        LANDMARKS,
        EMBEDDER
    }

    /** Detector families with a decoder, landmark families, embedder families. */
    public static final Map<Role, Set<String>> FAMILIES =
            Map.of(
                    Role.DETECTOR, Set.of("ultraface", "blazeface", "yunet", "scrfd"),
                    Role.LANDMARKS, Set.of("landmarks68"),
                    Role.EMBEDDER, Set.of("arcface112", "dlib150"));

    /**
     * Where the file came from: the package (registry:name@version) and its SHA-256, the paths in
     * it, the upstream project, how it was turned into ONNX ({@code none}, {@code tfjs-graph} …)
     * and, for an int8 conversion, each quantised activation's measured range [min, max].
     */
    public record Source(
            String pkg,
            String packageSha256,
            List<String> files,
            String upstream,
            String conversion,
            Map<String, float[]> activationRanges)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The input tensor: value = (pixel - mean) * scale, channels in {@code colour} order (RGB, BGR,
     * or GREY for one channel), the whole region resized to width x height.
     */
    public record Input(
            String name,
            Layout layout,
            int width,
            int height,
            Colour colour,
            float mean,
            float scale)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public int channels() {
            return colour == Colour.GREY ? 1 : 3;
        }
    }

    /** Tensor layout of an image input. */
    public enum Layout {
        NCHW,
        NHWC
    }

    /** Channel order of an image input. */
    public enum Colour {
        RGB,
        BGR,
        GREY
    }

    /**
     * The embedder's calibrated similarity threshold, the floor below which no configuration may
     * go, the data they were measured on, and the impostor scores of that data near and above the
     * floor (null when the manifest has none: the job then cannot estimate its false alerts).
     */
    public record Threshold(
            double value, double floor, String calibratedOn, ImpostorSample impostors)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public String output(String key) {
        String name = outputs.get(key);
        if (name == null) {
            throw new IllegalArgumentException(
                    "model manifest "
                            + origin
                            + ": outputs."
                            + key
                            + " is required for family "
                            + family);
        }
        return name;
    }

    public List<Double> param(String key) {
        List<Double> p = params.get(key);
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException(
                    "model manifest "
                            + origin
                            + ": params."
                            + key
                            + " is required for family "
                            + family);
        }
        return p;
    }

    /** Parses a manifest; {@code origin} names it in errors (a file path or a built-in id). */
    public static ModelManifest parse(InputStream in, String origin) throws IOException {
        JsonNode n = JSON.readTree(in);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(
                    "model manifest " + origin + " is not a JSON object");
        }
        Fields f = new Fields(n, origin);
        Role role = f.enumValue("role", Role.class);
        String family = f.text("family");
        if (!FAMILIES.get(role).contains(family)) {
            throw new IllegalArgumentException(
                    "model manifest "
                            + origin
                            + ": family "
                            + family
                            + " is not a known "
                            + role.name().toLowerCase(Locale.ROOT)
                            + " family "
                            + FAMILIES.get(role));
        }
        String sha = f.text("sha256");
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "model manifest " + origin + ": sha256 must be 64 lower-case hex digits");
        }
        Fields src = f.object("source");
        List<String> files = new ArrayList<>();
        src.node().path("files").forEach(x -> files.add(x.asText()));
        Source source =
                new Source(
                        src.text("package"),
                        src.optionalText("packageSha256", ""),
                        files,
                        src.optionalText("upstream", ""),
                        src.optionalText("conversion", "none"),
                        activationRanges(src, origin));
        Fields inp = f.object("input");
        Input input =
                new Input(
                        inp.text("name"),
                        inp.enumValue("layout", Layout.class),
                        inp.positiveInt("width"),
                        inp.positiveInt("height"),
                        inp.enumValue("colour", Colour.class),
                        (float) inp.number("mean"),
                        (float) inp.number("scale"));
        Map<String, String> outputs = new LinkedHashMap<>();
        f.object("outputs")
                .node()
                .fields()
                .forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
        Map<String, List<Double>> params = new LinkedHashMap<>();
        n.path("params")
                .fields()
                .forEachRemaining(
                        e -> {
                            List<Double> v = new ArrayList<>();
                            if (e.getValue().isArray()) {
                                e.getValue().forEach(x -> v.add(x.asDouble()));
                            } else {
                                v.add(e.getValue().asDouble());
                            }
                            params.put(e.getKey(), v);
                        });
        int dimension = 0;
        Threshold threshold = null;
        if (role == Role.EMBEDDER) {
            dimension = f.positiveInt("embeddingDimension");
            Fields t = f.object("threshold");
            threshold =
                    new Threshold(
                            t.number("value"),
                            t.number("floor"),
                            t.text("calibratedOn"),
                            t.has("impostors") ? impostors(t.object("impostors"), origin) : null);
            if (threshold.value() < threshold.floor()) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": threshold.value is below threshold.floor");
            }
        }
        return new ModelManifest(
                f.text("id"),
                role,
                family,
                f.text("file"),
                sha,
                f.text("licence"),
                f.optionalText("licenceNotes", ""),
                source,
                input,
                Map.copyOf(outputs),
                Map.copyOf(params),
                dimension,
                threshold,
                origin);
    }

    private static ImpostorSample impostors(Fields f, String origin) {
        JsonNode tail = f.required("tail");
        if (!tail.isArray()) {
            throw new IllegalArgumentException(
                    "model manifest " + origin + ": threshold.impostors.tail must be an array");
        }
        double[] scores = new double[tail.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = tail.get(i).asDouble();
        }
        try {
            return new ImpostorSample(f.positiveLong("pairs"), f.number("tailFrom"), scores);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "model manifest " + origin + ": threshold.impostors: " + e.getMessage(), e);
        }
    }

    private static Map<String, float[]> activationRanges(Fields src, String origin) {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (!src.has("activationRanges")) {
            return out;
        }
        Fields ranges = src.object("activationRanges");
        ranges.node()
                .fields()
                .forEachRemaining(
                        e -> {
                            JsonNode v = e.getValue();
                            if (!v.isArray()
                                    || v.size() != 2
                                    || !v.get(0).isNumber()
                                    || !v.get(1).isNumber()
                                    || v.get(0).asDouble() > v.get(1).asDouble()) {
                                throw new IllegalArgumentException(
                                        "model manifest "
                                                + origin
                                                + ": source.activationRanges."
                                                + e.getKey()
                                                + " must be [min, max] with min <= max");
                            }
                            out.put(
                                    e.getKey(),
                                    new float[] {
                                        (float) v.get(0).asDouble(), (float) v.get(1).asDouble()
                                    });
                        });
        return out;
    }

    /** Required-field access that names the manifest and the field in every error. */
    private record Fields(JsonNode node, String origin, String prefix) {
        Fields(JsonNode node, String origin) {
            this(node, origin, "");
        }

        private JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": " + prefix + key + " is required");
            }
            return v;
        }

        String text(String key) {
            String s = required(key).asText();
            if (s.isBlank()) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": " + prefix + key + " is blank");
            }
            return s;
        }

        String optionalText(String key, String fallback) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? fallback : v.asText();
        }

        double number(String key) {
            JsonNode v = required(key);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": " + prefix + key + " must be a number");
            }
            return v.asDouble();
        }

        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        long positiveLong(String key) {
            JsonNode v = required(key);
            if (!v.canConvertToLong() || v.asLong() < 1) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": " + prefix + key + " must be positive");
            }
            return v.asLong();
        }

        int positiveInt(String key) {
            JsonNode v = required(key);
            if (!v.canConvertToInt() || v.asInt() < 1) {
                throw new IllegalArgumentException(
                        "model manifest "
                                + origin
                                + ": "
                                + prefix
                                + key
                                + " must be a positive integer");
            }
            return v.asInt();
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String s = text(key);
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "model manifest "
                                + origin
                                + ": "
                                + prefix
                                + key
                                + " is "
                                + s
                                + ", expected one of "
                                + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        Fields object(String key) {
            JsonNode v = required(key);
            if (!v.isObject()) {
                throw new IllegalArgumentException(
                        "model manifest " + origin + ": " + prefix + key + " must be an object");
            }
            return new Fields(v, origin, prefix + key + ".");
        }
    }
}
