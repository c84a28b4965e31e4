package io.vigil.tools.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.face.Embeddings;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted dlib ResNet face descriptor against TensorFlow.js: the same real faces, cut as
 * dlib's 150x150 chips, run through face-api's FaceRecognitionNet layers with TensorFlow.js's own
 * CPU kernels and weight decoding under Node (tools/src/test/tfjs-reference/dlib-resnet.mjs) and
 * through the ONNX file in ONNX Runtime.
 */
class DlibReferenceITCase {
    private static final int S = 150;
    private static final int DIM = 128;

    @Test
    void onnxRuntimeGivesTensorFlowJsDescriptorsOnRealFaces(@TempDir Path tmp) throws Exception {
        ModelManifest m = ModelCatalog.builtIn("dlib-resnet-v1-faceapi-1.7.15");
        Path onnx = ModelCatalog.installed(m, AssetPaths.root());
        int n = NodeReference.PHOTOS.length;
        float[] nhwc = NodeReference.faces(m, FaceAligner.Alignment.DLIB_150);
        Path in = tmp.resolve("in.bin");
        Path out = tmp.resolve("out.bin");
        NodeReference.writeFloats(in, nhwc);
        String info =
                NodeReference.node(
                        "dlib-resnet.mjs",
                        onnx.resolveSibling("face_recognition_model-weights_manifest.json")
                                .toString(),
                        in.toString(),
                        String.valueOf(n),
                        out.toString());
        assertThat(info).contains("\"shape\":[" + n + "," + DIM + "]");
        float[] expected = NodeReference.readFloats(out);
        float[] actual = NodeReference.onnx(onnx, m.input().name(), nhwc, n, S);
        double maxDiff = NodeReference.maxAbsDiff(actual, expected);
        double maxValue = 0;
        double minCosine = 1;
        for (int f = 0; f < n; f++) {
            float[] x = Arrays.copyOfRange(actual, f * DIM, (f + 1) * DIM);
            float[] y = Arrays.copyOfRange(expected, f * DIM, (f + 1) * DIM);
            for (float v : y) {
                maxValue = Math.max(maxValue, Math.abs(v));
            }
            minCosine =
                    Math.min(
                            minCosine,
                            Embeddings.similarity(
                                    Embeddings.l2Normalize(x), Embeddings.l2Normalize(y)));
        }
        System.out.printf(
                "converted dlib ResNet vs TensorFlow.js: max |diff| %.2e (largest |value| %.3f),"
                        + " lowest cosine %.8f over %d faces%n",
                maxDiff, maxValue, minCosine, n);
        assertThat(maxDiff).isLessThan(1e-5);
        assertThat(minCosine).isGreaterThan(0.999999);
    }
}
