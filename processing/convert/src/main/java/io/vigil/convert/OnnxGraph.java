package io.vigil.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal ONNX graph under construction: nodes, float, int8, uint8 and int64 initialisers, float
 * inputs and outputs, metadata. {@link #toModelBytes} writes an ONNX {@code ModelProto} (IR 7,
 * opset 13) whose field numbers follow onnx.proto.
 */
final class OnnxGraph {
    static final int OPSET = 13;
    private static final int IR_VERSION = 7;
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int INT64 = 7;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int nodeCount;

    /** A node attribute: an int, a float, a string or a list of ints. */
    record Attr(String name, Object value) {
        static Attr ints(String name, long... values) {
            return new Attr(name, values);
        }

        static Attr of(String name, long value) {
            return new Attr(name, value);
        }

        static Attr of(String name, String value) {
            return new Attr(name, value);
        }
    }

    void node(String opType, List<String> in, String out, Attr... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out);
        n.string(3, opType + "_" + nodeCount++);
        n.string(4, opType);
        for (Attr a : attrs) {
            ProtoWriter w = new ProtoWriter().string(1, a.name());
            if (a.value() instanceof long[] ints) {
                w.packedVarints(8, ints).varint(20, ATTR_INTS);
            } else if (a.value() instanceof Long i) {
                w.varint(3, i).varint(20, ATTR_INT);
            } else if (a.value() instanceof Float f) {
                w.float32(2, f).varint(20, ATTR_FLOAT);
            } else {
                w.string(4, (String) a.value()).varint(20, ATTR_STRING);
            }
            n.message(5, w);
        }
        nodes.add(n);
    }

    void floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, FLOAT, raw.array()));
    }

    void int64s(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(name, dims, INT64, raw.array()));
    }

    /** Signed 8-bit integers: quantised weights and their (zero) zero points. */
    void int8s(String name, long[] dims, byte[] values) {
        initializers.add(tensor(name, dims, INT8, values));
    }

    /** A scalar unsigned 8-bit integer: an activation's zero point. */
    void uint8(String name, int value) {
        initializers.add(tensor(name, new long[0], UINT8, new byte[] {(byte) value}));
    }

    /** A float input or output; a negative dimension is symbolic ("N" for the batch axis). */
    void input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
    }

    void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    byte[] toModelBytes(String graphName, String producer, String docString) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, graphName);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        ProtoWriter model =
                new ProtoWriter().varint(1, IR_VERSION).string(2, producer).string(6, docString);
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    private static ProtoWriter tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, type).string(8, name).bytes(9, raw);
    }

    private static ProtoWriter valueInfo(String name, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (int i = 0; i < dims.length; i++) {
            shape.message(
                    1,
                    dims[i] >= 0
                            ? new ProtoWriter().varint(1, dims[i])
                            : new ProtoWriter().string(2, i == 0 ? "N" : "d" + i));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter()
                .string(1, name)
                .message(2, new ProtoWriter().message(1, tensorType));
    }
}
