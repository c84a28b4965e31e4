package io.vigil.tools.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted MobileFaceNet against the original: the same real aligned faces run through the
 * TensorFlow.js graph with TensorFlow.js's own CPU kernels under Node and through the ONNX file in
 * ONNX Runtime.
 */
class TfjsReferenceITCase {
    private static final int S = 112;

    @Test
    void onnxRuntimeGivesTensorFlowJsOutputsOnRealFaces(@TempDir Path tmp) throws Exception {
        ModelManifest m = ModelCatalog.builtIn("mobilefacenet-tf-human-3.0.4");
        Path onnx = ModelCatalog.installed(m, AssetPaths.root());
        int n = NodeReference.PHOTOS.length;
        float[] nhwc = NodeReference.faces(m, FaceAligner.Alignment.ARCFACE_112);
        Path in = tmp.resolve("in.bin");
        Path out = tmp.resolve("out.bin");
        NodeReference.writeFloats(in, nhwc);
        String info =
                NodeReference.node(
                        "run.mjs",
                        onnx.resolveSibling("mobilefacenet.json").toString(),
                        in.toString(),
                        String.valueOf(n),
                        String.valueOf(S),
                        String.valueOf(S),
                        "3",
                        m.output("embedding"),
                        out.toString());
        assertThat(info).contains("\"shape\":[" + n + ",192]");
        double maxDiff =
                NodeReference.maxAbsDiff(
                        NodeReference.onnx(onnx, m.input().name(), nhwc, n, S),
                        NodeReference.readFloats(out));
        System.out.printf(
                "converted MobileFaceNet vs TensorFlow.js: max |diff| %.2e over %d faces%n",
                maxDiff, n);
        assertThat(maxDiff).isLessThan(1e-5);
    }
}
