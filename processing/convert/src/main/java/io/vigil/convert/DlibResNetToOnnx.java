package io.vigil.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.convert.OnnxGraph.Attr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts dlib's ResNet face descriptor ({@code dlib_face_recognition_resnet_model_v1}, weights
 * released to the public domain by Davis King) from the TensorFlow.js weights that
 * {@code @vladmandic/face-api} ships ({@code face_recognition_model-weights_manifest.json} and its
 * shard) into ONNX. The weights manifest holds weights only; the topology is written here once, as
 * face-api's {@code FaceRecognitionNet} runs it:
 *
 * <ul>
 *   <li>input 150x150 RGB, (v - [122.782, 117.001, 104.298]) / 255 (done inside the graph, so the
 *       ONNX input takes raw 0..255 pixels);
 *   <li>{@code conv32_down}: 7x7 stride-2 'valid' convolution, per-channel scale, ReLU; 3x3
 *       stride-2 'valid' max pool;
 *   <li>residual blocks (3x3 'same' conv, scale, ReLU, 3x3 conv, scale, + input, ReLU) {@code
 *       conv32_1..3}, {@code conv64_1..3}, {@code conv128_1..2}, {@code conv256_1..2}; down blocks
 *       {@code conv64_down}, {@code conv128_down}, {@code conv256_down}, {@code conv256_down_out}
 *       whose first conv is 3x3 stride-2 'valid' and whose shortcut is a 2x2 average pool, padded
 *       with zero channels, with a zero row and column appended to the main path where the pool is
 *       larger;
 *   <li>global average, then {@code fc} [256, 128].
 * </ul>
 *
 * <p>Weights stored uint8-quantised are dequantised as {@code q * scale + min}; each convolution's
 * bias and following per-channel scale layer are folded into the convolution.
 *
 * <p>The same network can be written int8 in ONNX's QDQ form, which ONNX Runtime's CPU provider
 * fuses into integer kernels: every activation from the normalised input to the global average is
 * quantised to uint8 with the range measured on real faces ({@link #activations}, measured on the
 * {@link #calibrationModel}, which outputs each of them), and every convolution's folded weights to
 * int8 per output channel, symmetric; the bias, the normalisation and the final projection stay
 * float. A ReLU's input is not quantised itself, so the runtime can fold the ReLU into the
 * convolution or sum before it.
 */
public final class DlibResNetToOnnx {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int SIZE = 150;
    static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    /** A weight in TensorFlow's layout. */
    record Weight(long[] shape, float[] values) {}

    /** An activation's measured range; the quantised range always includes zero. */
    public record Range(float min, float max) {
        public Range {
            if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
                throw new IllegalArgumentException(
                        "activation range [" + min + ", " + max + "] is not a finite interval");
            }
        }
    }

    private enum Mode {
        FLOAT,
        CALIBRATION,
        INT8
    }

    private final Map<String, Weight> weights;
    private final Mode mode;
    private final Map<String, Range> ranges;
    private final List<String> activations = new ArrayList<>();
    private final OnnxGraph graph = new OnnxGraph();
    private int count;

    private DlibResNetToOnnx(Map<String, Weight> weights, Mode mode, Map<String, Range> ranges) {
        this.weights = weights;
        this.mode = mode;
        this.ranges = ranges;
    }

    /** Converts the weights manifest (its shards next to it) and returns the ONNX bytes. */
    static byte[] convert(Path weightsManifest, String docString) throws IOException {
        return write(weightsManifest, Mode.FLOAT, Map.of(), docString);
    }

    /**
     * The int8 (QDQ) network, its activations quantised to the given ranges (one per name of {@link
     * #activations}; a missing one fails, naming it).
     */
    static byte[] convertInt8(Path weightsManifest, Map<String, Range> ranges, String docString)
            throws IOException {
        return write(weightsManifest, Mode.INT8, ranges, docString);
    }

    /**
     * The float network with every activation the int8 form quantises as an extra output, named as
     * {@link #activations} lists them: run it on real faces to measure their ranges.
     */
    public static byte[] calibrationModel(Path weightsManifest) throws IOException {
        return write(weightsManifest, Mode.CALIBRATION, Map.of(), "calibration graph");
    }

    /** The activations the int8 form quantises, in graph order. */
    public static List<String> activations(Path weightsManifest) throws IOException {
        DlibResNetToOnnx c =
                new DlibResNetToOnnx(readWeights(weightsManifest), Mode.CALIBRATION, Map.of());
        c.build();
        return List.copyOf(c.activations);
    }

    private static byte[] write(
            Path weightsManifest, Mode mode, Map<String, Range> ranges, String docString)
            throws IOException {
        DlibResNetToOnnx c = new DlibResNetToOnnx(readWeights(weightsManifest), mode, ranges);
        c.build();
        c.graph.metadata("converted_from", weightsManifest.getFileName().toString());
        if (mode == Mode.INT8) {
            c.graph.metadata("quantisation", "int8 QDQ: weights per channel, activations uint8");
        }
        return c.graph.toModelBytes("dlib_face_recognition_resnet_model_v1", "vigil", docString);
    }

    /** Reads every weight of a TensorFlow.js weights manifest, dequantising uint8 ones. */
    static Map<String, Weight> readWeights(Path manifest) throws IOException {
        JsonNode groups = JSON.readTree(manifest.toFile());
        if (!groups.isArray()) {
            throw new IllegalArgumentException(
                    manifest + " is not a TensorFlow.js weights manifest");
        }
        Map<String, Weight> out = new HashMap<>();
        for (JsonNode group : groups) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                all.writeBytes(Files.readAllBytes(manifest.resolveSibling(p.asText())));
            }
            ByteBuffer buf = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                long[] shape = new long[w.path("shape").size()];
                int n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").get(i).asLong();
                    n *= (int) shape[i];
                }
                if (!"float32".equals(w.path("dtype").asText())) {
                    throw new IllegalArgumentException(
                            "weight " + name + " is " + w.path("dtype").asText() + ", not float32");
                }
                float[] v = new float[n];
                JsonNode q = w.path("quantization");
                if (q.isMissingNode()) {
                    buf.asFloatBuffer().get(v);
                    buf.position(buf.position() + 4 * n);
                } else if ("uint8".equals(q.path("dtype").asText())) {
                    float scale = (float) q.path("scale").asDouble();
                    float min = (float) q.path("min").asDouble();
                    for (int i = 0; i < n; i++) {
                        v[i] = (buf.get() & 0xFF) * scale + min;
                    }
                } else {
                    throw new IllegalArgumentException(
                            "weight "
                                    + name
                                    + ": quantisation "
                                    + q.path("dtype")
                                    + " unsupported");
                }
                out.put(name, new Weight(shape, v));
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(
                        manifest + ": " + buf.remaining() + " bytes left after the last weight");
            }
        }
        return out;
    }

    private Weight weight(String name) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("weight " + name + " is missing");
        }
        return w;
    }

    private void build() {
        graph.input("input", -1, 3, SIZE, SIZE);
        String x = constant("mean", new long[] {1, 3, 1, 1}, MEAN_RGB);
        String v = op("Sub", List.of("input", x));
        v = op("Mul", List.of(v, constant("inv255", new long[] {1}, new float[] {1f / 255})));
        v = activation(v);
        v = conv(v, "conv32_down", 2, false, true);
        v = pool("MaxPool", v, 3);
        int size = (((SIZE - 7) / 2 + 1) - 3) / 2 + 1;
        for (String block : List.of("conv32_1", "conv32_2", "conv32_3")) {
            v = residual(v, block);
        }
        int[] sizeAndChannels = {size, 32};
        v = residualDown(v, "conv64_down", sizeAndChannels);
        for (String block : List.of("conv64_1", "conv64_2", "conv64_3")) {
            v = residual(v, block);
        }
        v = residualDown(v, "conv128_down", sizeAndChannels);
        for (String block : List.of("conv128_1", "conv128_2")) {
            v = residual(v, block);
        }
        v = residualDown(v, "conv256_down", sizeAndChannels);
        for (String block : List.of("conv256_1", "conv256_2")) {
            v = residual(v, block);
        }
        v = residualDown(v, "conv256_down_out", sizeAndChannels);
        v = activation(op("GlobalAveragePool", List.of(v)));
        v = op("Flatten", List.of(v), Attr.of("axis", 1));
        Weight fc = weight("fc");
        String out = "embedding";
        graph.floats("fc", fc.shape(), fc.values());
        graph.node("MatMul", List.of(v, "fc"), out);
        graph.output(out, -1, fc.shape()[1]);
    }

    /** conv, relu, conv, + input, relu. */
    private String residual(String x, String block) {
        String out = conv(x, block + "/conv1", 1, true, true);
        out = conv(out, block + "/conv2", 1, true, false);
        return activation(op("Relu", List.of(op("Add", List.of(out, x)))));
    }

    /**
     * A down block: the main path at stride 2, the shortcut a 2x2 average pool with zero channels
     * appended; where the pool's output is larger, the main path gets a zero row and column at the
     * end. {@code sizeAndChannels} (spatial size, channels) is updated to the block's output.
     */
    private String residualDown(String x, String block, int[] sizeAndChannels) {
        int in = sizeAndChannels[0];
        int inChannels = sizeAndChannels[1];
        String out = conv(x, block + "/conv1", 2, false, true);
        out = conv(out, block + "/conv2", 1, true, false);
        int convSize = (in - 3) / 2 + 1;
        int poolSize = (in - 2) / 2 + 1;
        int outChannels = (int) weight(block + "/conv2/conv/filters").shape()[3];
        if (poolSize != convSize) {
            out = pad(out, new long[] {0, 0, 0, 0, 0, 0, poolSize - convSize, poolSize - convSize});
        }
        String pooled = pool("AveragePool", x, 2);
        if (outChannels != inChannels) {
            pooled = pad(pooled, new long[] {0, 0, 0, 0, 0, outChannels - inChannels, 0, 0});
        }
        sizeAndChannels[0] = poolSize;
        sizeAndChannels[1] = outChannels;
        return activation(op("Relu", List.of(op("Add", List.of(pooled, out)))));
    }

    /** A square pool of side {@code kernel} at stride 2. */
    private String pool(String type, String x, long kernel) {
        return activation(
                op(
                        type,
                        List.of(x),
                        Attr.ints("kernel_shape", kernel, kernel),
                        Attr.ints("strides", 2, 2)));
    }

    private String pad(String x, long[] pads) {
        String name = "pads_" + count++;
        graph.int64s(name, new long[] {pads.length}, pads);
        return activation(op("Pad", List.of(x, name)));
    }

    /**
     * A convolution with its bias and per-channel scale layer folded in: {@code (conv(x, W) + b) *
     * s + t = conv(x, W * s) + (b * s + t)}; TensorFlow filters [kh, kw, in, out] become ONNX [out,
     * in, kh, kw]. 'same' pads a 3x3 kernel by one on every side; 'valid' pads nothing.
     */
    private String conv(String x, String layer, int stride, boolean same, boolean relu) {
        Weight f = weight(layer + "/conv/filters");
        float[] bias = weight(layer + "/conv/bias").values();
        float[] scale = weight(layer + "/scale/weights").values();
        float[] shift = weight(layer + "/scale/biases").values();
        int kh = (int) f.shape()[0];
        int kw = (int) f.shape()[1];
        int ci = (int) f.shape()[2];
        int co = (int) f.shape()[3];
        float[] w = new float[co * ci * kh * kw];
        for (int y = 0; y < kh; y++) {
            for (int xx = 0; xx < kw; xx++) {
                for (int i = 0; i < ci; i++) {
                    for (int o = 0; o < co; o++) {
                        float tf = f.values()[((y * kw + xx) * ci + i) * co + o];
                        w[((o * ci + i) * kh + y) * kw + xx] = tf * scale[o];
                    }
                }
            }
        }
        float[] b = new float[co];
        for (int o = 0; o < co; o++) {
            b[o] = bias[o] * scale[o] + shift[o];
        }
        String wName = layer + "/w";
        String bName = layer + "/b";
        long[] dims = {co, ci, kh, kw};
        if (mode == Mode.INT8) {
            quantisedWeights(wName, dims, w);
        } else {
            graph.floats(wName, dims, w);
        }
        graph.floats(bName, new long[] {co}, b);
        long p = same ? kh / 2 : 0;
        String out =
                op(
                        "Conv",
                        List.of(x, wName, bName),
                        Attr.ints("kernel_shape", kh, kw),
                        Attr.ints("strides", stride, stride),
                        Attr.ints("pads", p, p, p, p));
        return activation(relu ? op("Relu", List.of(out)) : out);
    }

    /**
     * Int8 weights, symmetric per output channel (scale = largest magnitude / 127, zero point 0),
     * dequantised into {@code name} for the convolution: the form ONNX Runtime fuses.
     */
    private void quantisedWeights(String name, long[] dims, float[] w) {
        int channels = (int) dims[0];
        int per = w.length / channels;
        float[] scales = new float[channels];
        byte[] q = new byte[w.length];
        for (int o = 0; o < channels; o++) {
            float max = 0;
            for (int i = o * per; i < (o + 1) * per; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scales[o] = max > 0 ? max / 127f : 1f;
            for (int i = o * per; i < (o + 1) * per; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[o])));
            }
        }
        graph.int8s(name + "/q", dims, q);
        graph.floats(name + "/scale", new long[] {channels}, scales);
        graph.int8s(name + "/zero", new long[] {channels}, new byte[channels]);
        graph.node(
                "DequantizeLinear",
                List.of(name + "/q", name + "/scale", name + "/zero"),
                name,
                Attr.of("axis", 0));
    }

    /**
     * Marks a tensor as an activation of the int8 form: an extra output of the calibration graph, a
     * quantise/dequantise pair with its measured range in the int8 graph, itself in the float one.
     */
    private String activation(String x) {
        activations.add(x);
        switch (mode) {
            case CALIBRATION -> {
                graph.output(x, -1, -1, -1, -1);
                return x;
            }
            case INT8 -> {
                Range r = ranges.get(x);
                if (r == null) {
                    throw new IllegalArgumentException(
                            "no activation range for "
                                    + x
                                    + " (measure them with vigil models calibrate-int8)");
                }
                float min = Math.min(0f, r.min());
                float max = Math.max(0f, r.max());
                float scale = max > min ? (max - min) / 255f : 1f;
                int zero = Math.max(0, Math.min(255, Math.round(-min / scale)));
                graph.floats(x + "/scale", new long[0], new float[] {scale});
                graph.uint8(x + "/zero", zero);
                graph.node("QuantizeLinear", List.of(x, x + "/scale", x + "/zero"), x + "/q");
                graph.node(
                        "DequantizeLinear",
                        List.of(x + "/q", x + "/scale", x + "/zero"),
                        x + "/dq");
                return x + "/dq";
            }
            default -> {
                return x;
            }
        }
    }

    private String constant(String name, long[] dims, float[] values) {
        graph.floats(name, dims, values);
        return name;
    }

    private String op(String type, List<String> in, Attr... attrs) {
        String out = type.toLowerCase(java.util.Locale.ROOT) + "_" + count++;
        graph.node(type, in, out, attrs);
        return out;
    }
}
