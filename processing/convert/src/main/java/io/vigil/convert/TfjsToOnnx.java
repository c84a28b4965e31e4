package io.vigil.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a TensorFlow.js graph model (model.json + weight shards) built from convolutions and
 * element-wise arithmetic into an ONNX model that ONNX Runtime runs. The ONNX input is NCHW (the
 * pipeline's tensor layout) with a symbolic batch axis; the activations stay NCHW throughout, so no
 * transposes are inserted: filters are rearranged once, per-channel constants get trailing unit
 * axes, and axis attributes are mapped from NHWC.
 *
 * <p>Supported TensorFlow ops: {@code Placeholder}, {@code Const}, {@code _FusedConv2D} and {@code
 * (Fused)DepthwiseConv2dNative} (fused BiasAdd, Relu, Relu6), {@code Add(V2)}, {@code Sub}, {@code
 * Mul}, {@code Maximum}, {@code Minimum}, {@code Abs}, {@code Relu}, {@code Relu6}, {@code Square},
 * {@code Rsqrt}, {@code Sum}, {@code Squeeze}, {@code Identity}. Anything else fails with the op
 * and node named, rather than converting into something that computes differently.
 */
public final class TfjsToOnnx {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] NHWC_TO_NCHW_AXIS = {0, 2, 3, 1};

    /** A converted tensor: its ONNX name, rank, and whether it is a 4-D activation in NCHW. */
    private record Value(String onnx, int rank, boolean nchw) {}

    /** A constant from the weight shards, in TensorFlow's layout. */
    private record Const(long[] shape, float[] floats, long[] ints) {
        int size() {
            return floats != null ? floats.length : ints.length;
        }
    }

    private final Map<String, JsonNode> nodes = new LinkedHashMap<>();
    private final Map<String, Const> consts = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final OnnxGraph graph = new OnnxGraph();
    private int constCount;

    private TfjsToOnnx() {}

    /**
     * Converts {@code modelJson} (its weight files next to it) and returns the ONNX bytes. The
     * outputs are the model's signature outputs, or else the nodes nothing consumes.
     */
    static byte[] convert(Path modelJson, String docString) throws IOException {
        TfjsToOnnx c = new TfjsToOnnx();
        JsonNode model = JSON.readTree(modelJson.toFile());
        if (!"graph-model".equals(model.path("format").asText())) {
            throw new IllegalArgumentException(
                    modelJson
                            + " is not a TensorFlow.js graph model (format "
                            + model.path("format").asText()
                            + ")");
        }
        for (JsonNode n : model.path("modelTopology").path("node")) {
            c.nodes.put(n.path("name").asText(), n);
        }
        c.readWeights(modelJson.getParent(), model.path("weightsManifest"));
        List<String> outputs = c.outputNames(model);
        for (String out : outputs) {
            c.convertNode(out, new HashSet<>());
        }
        for (String out : outputs) {
            Value v = c.values.get(out);
            String name = v.onnx();
            long[] dims = new long[v.rank()];
            java.util.Arrays.fill(dims, -1);
            c.graph.output(name, dims);
        }
        c.graph.metadata("converted_from", modelJson.getFileName().toString());
        c.graph.metadata("source_generated_by", model.path("generatedBy").asText(""));
        c.graph.metadata("source_converted_by", model.path("convertedBy").asText(""));
        return c.graph.toModelBytes(
                modelJson.getFileName().toString(), "vigil TfjsToOnnx", docString);
    }

    private static String sanitizedOutput(String tfName) {
        int colon = tfName.indexOf(':');
        return colon < 0 ? tfName : tfName.substring(0, colon);
    }

    private List<String> outputNames(JsonNode model) {
        List<String> out = new ArrayList<>();
        JsonNode sig = model.path("userDefinedMetadata").path("signature").path("outputs");
        if (sig.isMissingNode()) {
            sig = model.path("signature").path("outputs");
        }
        sig.fields()
                .forEachRemaining(
                        e ->
                                out.add(
                                        sanitizedOutput(
                                                e.getValue().path("name").asText(e.getKey()))));
        out.removeIf(n -> !nodes.containsKey(n));
        if (!out.isEmpty()) {
            return out;
        }
        Set<String> consumed = new HashSet<>();
        for (JsonNode n : nodes.values()) {
            n.path("input").forEach(i -> consumed.add(tensorName(i.asText())));
        }
        for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
            if (!consumed.contains(e.getKey()) && !"Const".equals(op(e.getValue()))) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private void readWeights(Path dir, JsonNode manifest) throws IOException {
        for (JsonNode group : manifest) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                all.writeBytes(Files.readAllBytes(dir.resolve(p.asText())));
            }
            ByteBuffer buf = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                if (w.has("quantization")) {
                    throw new IllegalArgumentException(
                            "weight " + name + " is quantized; only float32/int32 are supported");
                }
                long[] shape = longs(w.path("shape"));
                int n = 1;
                for (long d : shape) {
                    n *= (int) d;
                }
                String dtype = w.path("dtype").asText();
                if ("float32".equals(dtype)) {
                    float[] f = new float[n];
                    buf.asFloatBuffer().get(f);
                    buf.position(buf.position() + 4 * n);
                    consts.put(name, new Const(shape, f, null));
                } else if ("int32".equals(dtype)) {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = buf.getInt();
                    }
                    consts.put(name, new Const(shape, null, v));
                } else {
                    throw new IllegalArgumentException(
                            "weight " + name + " has dtype " + dtype + "; only float32/int32");
                }
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(
                        "weight shards of "
                                + dir
                                + " have "
                                + buf.remaining()
                                + " bytes left over");
            }
        }
    }

    private static String tensorName(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static String op(JsonNode n) {
        return n.path("op").asText();
    }

    private Value convertNode(String name, Set<String> visiting) {
        Value done = values.get(name);
        if (done != null) {
            return done;
        }
        JsonNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("graph references unknown node " + name);
        }
        if (!visiting.add(name)) {
            throw new IllegalArgumentException("graph has a cycle through " + name);
        }
        List<String> in = new ArrayList<>();
        n.path("input")
                .forEach(
                        i -> {
                            if (!i.asText().startsWith("^")) {
                                in.add(tensorName(i.asText()));
                            }
                        });
        for (String i : in) {
            if (!isConst(i)) {
                convertNode(i, visiting);
            }
        }
        Value v = emit(name, op(n), n.path("attr"), in);
        values.put(name, v);
        return v;
    }

    private boolean isConst(String name) {
        JsonNode n = nodes.get(name);
        return n != null && "Const".equals(op(n));
    }

    private Const constant(String name) {
        Const c = consts.get(name);
        if (c == null) {
            throw new IllegalArgumentException("constant " + name + " has no weights");
        }
        return c;
    }

    private Value emit(String name, String op, JsonNode attr, List<String> in) {
        switch (op) {
            case "Placeholder" -> {
                long[] dims = new long[4];
                JsonNode d = attr.path("shape").path("shape").path("dim");
                if (d.size() != 4) {
                    throw new IllegalArgumentException("input " + name + " must be NHWC 4-D");
                }
                for (int i = 0; i < 4; i++) {
                    dims[i] = d.get(i).path("size").asLong();
                }
                graph.input(name, -1, dims[3], dims[1], dims[2]);
                return new Value(name, 4, true);
            }
            case "_FusedConv2D",
                    "FusedDepthwiseConv2dNative",
                    "DepthwiseConv2dNative",
                    "Conv2D" -> {
                return conv(name, op, attr, in);
            }
            case "Add", "AddV2", "Sub", "Mul", "Maximum", "Minimum" -> {
                String onnxOp =
                        switch (op) {
                            case "Sub" -> "Sub";
                            case "Mul" -> "Mul";
                            case "Maximum" -> "Max";
                            case "Minimum" -> "Min";
                            default -> "Add";
                        };
                return binary(name, onnxOp, in.get(0), in.get(1));
            }
            case "Abs", "Relu", "Identity" -> {
                Value x = values.get(in.get(0));
                graph.node(op, List.of(x.onnx()), name);
                return new Value(name, x.rank(), x.nchw());
            }
            case "Relu6" -> {
                Value x = values.get(in.get(0));
                relu6(x.onnx(), name);
                return new Value(name, x.rank(), x.nchw());
            }
            case "Square" -> {
                Value x = values.get(in.get(0));
                graph.node("Mul", List.of(x.onnx(), x.onnx()), name);
                return new Value(name, x.rank(), x.nchw());
            }
            case "Rsqrt" -> {
                Value x = values.get(in.get(0));
                graph.node("Sqrt", List.of(x.onnx()), name + "/sqrt");
                graph.node("Reciprocal", List.of(name + "/sqrt"), name);
                return new Value(name, x.rank(), x.nchw());
            }
            case "Sum" -> {
                Value x = values.get(in.get(0));
                long[] axes = constant(in.get(1)).ints();
                boolean keep = attr.path("keep_dims").path("b").asBoolean(false);
                long[] mapped = mapAxes(x, axes);
                String axesName = int64Const(mapped);
                graph.node(
                        "ReduceSum",
                        List.of(x.onnx(), axesName),
                        name,
                        OnnxGraph.Attr.of("keepdims", keep ? 1 : 0));
                return new Value(name, keep ? x.rank() : x.rank() - axes.length, keep && x.nchw());
            }
            case "Squeeze" -> {
                Value x = values.get(in.get(0));
                long[] dims = longs(attr.path("squeeze_dims").path("list").path("i"));
                if (x.nchw() && !(dims.length == 2 && contains(dims, 1) && contains(dims, 2))) {
                    throw new IllegalArgumentException(
                            "Squeeze " + name + ": only the spatial axes of a 4-D tensor");
                }
                graph.node("Squeeze", List.of(x.onnx(), int64Const(mapAxes(x, dims))), name);
                return new Value(name, x.rank() - dims.length, false);
            }
            default ->
                    throw new IllegalArgumentException(
                            "TensorFlow op " + op + " (node " + name + ") is not supported");
        }
    }

    private Value conv(String name, String op, JsonNode attr, List<String> in) {
        Value x = values.get(in.get(0));
        Const filter = constant(in.get(1));
        boolean depthwise = op.contains("Depthwise");
        List<String> fused = new ArrayList<>();
        attr.path("fused_ops")
                .path("list")
                .path("s")
                .forEach(
                        s ->
                                fused.add(
                                        new String(
                                                Base64.getDecoder().decode(s.asText()),
                                                StandardCharsets.UTF_8)));
        long[] strides = longs(attr.path("strides").path("list").path("i"));
        long[] dil = longs(attr.path("dilations").path("list").path("i"));
        String padding =
                new String(
                        Base64.getDecoder().decode(attr.path("padding").path("s").asText()),
                        StandardCharsets.UTF_8);
        String format = attr.path("data_format").path("s").asText("");
        if (!format.isEmpty()
                && !"NHWC"
                        .equals(
                                new String(
                                        Base64.getDecoder().decode(format),
                                        StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("conv " + name + ": only NHWC graphs");
        }
        if (!"SAME".equals(padding) && !"VALID".equals(padding)) {
            throw new IllegalArgumentException("conv " + name + ": padding " + padding);
        }
        long kh = filter.shape()[0];
        long kw = filter.shape()[1];
        long cin = filter.shape()[2];
        long cout = depthwise ? cin * filter.shape()[3] : filter.shape()[3];
        float[] w = new float[filter.floats().length];
        if (depthwise) {
            long mult = filter.shape()[3];
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int c = 0; c < cin; c++) {
                        for (int m = 0; m < mult; m++) {
                            long oc = c * mult + m;
                            w[(int) ((oc * kh + i) * kw + j)] =
                                    filter.floats()[(int) (((i * kw + j) * cin + c) * mult + m)];
                        }
                    }
                }
            }
        } else {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int c = 0; c < cin; c++) {
                        for (int o = 0; o < cout; o++) {
                            w[(int) (((o * cin + c) * kh + i) * kw + j)] =
                                    filter.floats()[(int) (((i * kw + j) * cin + c) * cout + o)];
                        }
                    }
                }
            }
        }
        String wName = name + "/W";
        graph.floats(wName, new long[] {cout, depthwise ? 1 : cin, kh, kw}, w);
        List<String> convIn = new ArrayList<>(List.of(x.onnx(), wName));
        List<String> after = new ArrayList<>();
        for (String f : fused) {
            switch (f) {
                case "BiasAdd" -> {
                    Const b = constant(in.get(2));
                    String bName = name + "/B";
                    graph.floats(bName, new long[] {cout}, b.floats());
                    convIn.add(bName);
                }
                case "Relu", "Relu6" -> after.add(f);
                default ->
                        throw new IllegalArgumentException(
                                "conv " + name + ": fused op " + f + " is not supported");
            }
        }
        String convOut = after.isEmpty() ? name : name + "/conv";
        graph.node(
                "Conv",
                convIn,
                convOut,
                OnnxGraph.Attr.ints("strides", strides[1], strides[2]),
                OnnxGraph.Attr.ints(
                        "dilations", dil.length == 4 ? dil[1] : 1, dil.length == 4 ? dil[2] : 1),
                OnnxGraph.Attr.ints("kernel_shape", kh, kw),
                OnnxGraph.Attr.of("group", depthwise ? cin : 1),
                OnnxGraph.Attr.of("auto_pad", "SAME".equals(padding) ? "SAME_UPPER" : "VALID"));
        if (!after.isEmpty()) {
            if ("Relu".equals(after.get(0))) {
                graph.node("Relu", List.of(convOut), name);
            } else {
                relu6(convOut, name);
            }
        }
        return new Value(name, 4, true);
    }

    private void relu6(String in, String out) {
        graph.node("Clip", List.of(in, floatConst(0f), floatConst(6f)), out);
    }

    private Value binary(String name, String onnxOp, String a, String b) {
        boolean ca = isConst(a);
        boolean cb = isConst(b);
        if (ca && cb) {
            throw new IllegalArgumentException(onnxOp + " " + name + " of two constants");
        }
        Value ref = ca ? values.get(b) : values.get(a);
        String an = ca ? constantFor(a, ref) : values.get(a).onnx();
        String bn = cb ? constantFor(b, ref) : values.get(b).onnx();
        graph.node(onnxOp, List.of(an, bn), name);
        return new Value(name, ref.rank(), ref.nchw());
    }

    /** A constant operand broadcast against {@code other}, per-channel constants made [C,1,1]. */
    private String constantFor(String constName, Value other) {
        Const c = constant(constName);
        if (c.floats() == null) {
            throw new IllegalArgumentException("integer operand " + constName);
        }
        String name = constName + "/onnx" + constCount++;
        if (c.shape().length == 0 || c.size() == 1) {
            graph.floats(name, new long[0], new float[] {c.floats()[0]});
        } else if (c.shape().length == 1 && other.nchw()) {
            graph.floats(name, new long[] {c.shape()[0], 1, 1}, c.floats());
        } else if (!other.nchw()) {
            graph.floats(name, c.shape(), c.floats());
        } else {
            throw new IllegalArgumentException(
                    "constant "
                            + constName
                            + " of rank "
                            + c.shape().length
                            + " against a 4-D activation");
        }
        return name;
    }

    private String floatConst(float v) {
        String name = "const" + constCount++;
        graph.floats(name, new long[0], new float[] {v});
        return name;
    }

    private String int64Const(long[] v) {
        String name = "axes" + constCount++;
        graph.int64s(name, new long[] {v.length}, v);
        return name;
    }

    private static long[] mapAxes(Value x, long[] axes) {
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
            out[i] = x.nchw() ? NHWC_TO_NCHW_AXIS[(int) a] : a;
        }
        return out;
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static long[] longs(JsonNode arr) {
        long[] out = new long[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asLong();
        }
        return out;
    }
}
