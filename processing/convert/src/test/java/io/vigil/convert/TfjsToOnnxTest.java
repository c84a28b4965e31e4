package io.vigil.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter against a plain-Java NHWC reference of the same small graph (convolution with SAME
 * padding and stride 2, fused bias and ReLU, depthwise convolution, per-channel arithmetic, a
 * spatial sum), and the converted MobileFaceNet's dynamic batch.
 */
public class TfjsToOnnxTest {
    private static final int H = 6;
    private static final int W = 5;
    private static final int CIN = 2;
    private static final int COUT = 3;

    private final Random random = new Random(7);
    private final float[] convW = randoms(3 * 3 * CIN * COUT); // HWIO
    private final float[] convB = randoms(COUT);
    private final float[] dwW = randoms(3 * 3 * COUT); // HW, C, multiplier 1
    private final float[] alpha = randoms(COUT);

    @Test
    void aSmallGraphComputesWhatTensorFlowWouldInNhwc(@TempDir Path tmp) throws Exception {
        Path json = writeGraph(tmp);
        byte[] onnx = TfjsToOnnx.convert(json, "test");
        float[] input = randoms(2 * H * W * CIN);
        float[] expected = new float[2 * COUT];
        for (int b = 0; b < 2; b++) {
            float[] x = new float[H * W * CIN];
            System.arraycopy(input, b * x.length, x, 0, x.length);
            float[] y = reference(x);
            System.arraycopy(y, 0, expected, b * COUT, COUT);
        }
        float[] actual = run(onnx, toNchw(input, 2, H, W, CIN), new long[] {2, CIN, H, W});
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("output %d", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void anUnsupportedOpIsNamedNotGuessed(@TempDir Path tmp) throws Exception {
        Path json = writeGraph(tmp);
        Files.writeString(
                json, Files.readString(json).replace("\"op\": \"Abs\"", "\"op\": \"Softmax\""));
        assertThatThrownBy(() -> TfjsToOnnx.convert(json, "test"))
                .hasMessageContaining("Softmax")
                .hasMessageContaining("abs");
    }

    @Test
    void theConvertedMobileFaceNetTakesADynamicBatch() throws Exception {
        // The file the build converted (its pin is ModelConverterTest's): two faces in one call
        // give two 192-d unit vectors.
        ModelConverter.Spec m =
                ModelConverterTest.builtInSpecs().stream()
                        .filter(s -> s.id().equals("mobilefacenet-tf-human-3.0.4"))
                        .findFirst()
                        .orElseThrow();
        byte[] onnx = Files.readAllBytes(Path.of(System.getProperty("vigil.assets"), m.file()));
        float[] out = run(onnx, randoms(2 * 3 * 112 * 112), new long[] {2, 3, 112, 112});
        assertThat(out).hasSize(2 * 192);
        for (int face = 0; face < 2; face++) {
            double norm = 0;
            for (int i = 0; i < 192; i++) {
                norm += out[face * 192 + i] * out[face * 192 + i];
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    /** conv3x3/2 SAME + bias + relu, depthwise 3x3 SAME, prelu-style arithmetic, spatial sum. */
    private float[] reference(float[] x) {
        int oh = (H + 1) / 2;
        int ow = (W + 1) / 2;
        float[] c = conv(x, H, W, CIN, convW, COUT, 2, false);
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(0f, c[i] + convB[i % COUT]);
        }
        float[] d = conv(c, oh, ow, COUT, dwW, COUT, 1, true);
        float[] out = new float[COUT];
        for (int i = 0; i < d.length; i++) {
            int ch = i % COUT;
            float v = d[i];
            float prelu = Math.max(0f, v) + (v - Math.abs(v)) * alpha[ch];
            out[ch] += prelu;
        }
        return out;
    }

    private static float[] conv(
            float[] x, int h, int w, int cin, float[] f, int cout, int stride, boolean depthwise) {
        int oh = (h + stride - 1) / stride;
        int ow = (w + stride - 1) / stride;
        int padTop = Math.max((oh - 1) * stride + 3 - h, 0) / 2;
        int padLeft = Math.max((ow - 1) * stride + 3 - w, 0) / 2;
        float[] y = new float[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < cout; o++) {
                    float s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * stride + ky - padTop;
                            int ix = ox * stride + kx - padLeft;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                continue;
                            }
                            if (depthwise) {
                                s += x[(iy * w + ix) * cin + o] * f[(ky * 3 + kx) * cin + o];
                            } else {
                                for (int i = 0; i < cin; i++) {
                                    s +=
                                            x[(iy * w + ix) * cin + i]
                                                    * f[((ky * 3 + kx) * cin + i) * cout + o];
                                }
                            }
                        }
                    }
                    y[(oy * ow + ox) * cout + o] = s;
                }
            }
        }
        return y;
    }

    private Path writeGraph(Path dir) throws Exception {
        String relu = "\"UmVsdQ==\"";
        String biasAdd = "\"Qmlhc0FkZA==\"";
        String same = "\"U0FNRQ==\"";
        String json =
                """
                {"format": "graph-model", "generatedBy": "test", "convertedBy": "test",
                 "modelTopology": {"node": [
                  {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [
                    {"size": "-1"}, {"size": "%d"}, {"size": "%d"}, {"size": "%d"}]}}}},
                  {"name": "w", "op": "Const"}, {"name": "b", "op": "Const"},
                  {"name": "dw", "op": "Const"}, {"name": "alpha", "op": "Const"},
                  {"name": "axes", "op": "Const"},
                  {"name": "conv", "op": "_FusedConv2D", "input": ["x", "w", "b"], "attr": {
                    "fused_ops": {"list": {"s": [%s, %s]}}, "padding": {"s": %s},
                    "strides": {"list": {"i": ["1", "2", "2", "1"]}},
                    "dilations": {"list": {"i": ["1", "1", "1", "1"]}}}},
                  {"name": "depth", "op": "DepthwiseConv2dNative", "input": ["conv", "dw"], "attr": {
                    "padding": {"s": %s}, "strides": {"list": {"i": ["1", "1", "1", "1"]}}}},
                  {"name": "relu", "op": "Relu", "input": ["depth"]},
                  {"name": "abs", "op": "Abs", "input": ["depth"]},
                  {"name": "sub", "op": "Sub", "input": ["depth", "abs"]},
                  {"name": "mul", "op": "Mul", "input": ["sub", "alpha"]},
                  {"name": "add", "op": "AddV2", "input": ["relu", "mul"]},
                  {"name": "sum", "op": "Sum", "input": ["add", "axes"],
                   "attr": {"keep_dims": {"b": false}}}
                 ]},
                 "weightsManifest": [{"paths": ["g.bin"], "weights": [
                   {"name": "w", "shape": [3, 3, %d, %d], "dtype": "float32"},
                   {"name": "b", "shape": [%d], "dtype": "float32"},
                   {"name": "dw", "shape": [3, 3, %d, 1], "dtype": "float32"},
                   {"name": "alpha", "shape": [%d], "dtype": "float32"},
                   {"name": "axes", "shape": [2], "dtype": "int32"}]}]}
                """
                        .formatted(
                                H, W, CIN, biasAdd, relu, same, same, CIN, COUT, COUT, COUT, COUT);
        ByteBuffer bin =
                ByteBuffer.allocate(
                                4 * (convW.length + convB.length + dwW.length + alpha.length + 2))
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] a : new float[][] {convW, convB, dwW, alpha}) {
            for (float v : a) {
                bin.putFloat(v);
            }
        }
        bin.putInt(1).putInt(2);
        Files.write(dir.resolve("g.bin"), bin.array());
        Path p = dir.resolve("g.json");
        Files.writeString(p, json);
        return p;
    }

    private static float[] run(byte[] onnx, float[] nchw, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
                OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    public static float[] toNchw(float[] nhwc, int n, int h, int w, int c) {
        float[] out = new float[nhwc.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        out[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k];
                    }
                }
            }
        }
        return out;
    }

    private float[] randoms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
