package io.vigil.processing.model.convert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vigil.matching.VectorMath;
import io.vigil.processing.config.AssetPaths;
import io.vigil.processing.face.Box;
import io.vigil.processing.face.DetectorSettings;
import io.vigil.processing.face.FaceAligner;
import io.vigil.processing.face.FaceAnalyzer;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import io.vigil.processing.face.RgbImage;
import io.vigil.processing.model.ModelCatalog;
import io.vigil.processing.model.ModelManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted dlib ResNet face descriptor against TensorFlow.js: the same real faces, cut as
 * dlib's 150x150 chips, run through face-api's FaceRecognitionNet layers with TensorFlow.js's own
 * CPU kernels and weight decoding under Node (deploy/tools/tfjs-reference/dlib-resnet.mjs) and
 * through the ONNX file in ONNX Runtime.
 */
class DlibReferenceITCase {
    private static final String[] PHOTOS = {
        "franck_02159.jpg", "franck_03909.jpg", "cage.jpg", "audrey.jpg", "SeanConnery.jpg"
    };
    private static final int S = 150;

    @Test
    void onnxRuntimeGivesTensorFlowJsDescriptorsOnRealFaces(@TempDir Path tmp) throws Exception {
        ModelManifest m = ModelCatalog.builtIn("dlib-resnet-v1-faceapi-1.7.15");
        Path onnx = ModelCatalog.ensure(m, AssetPaths.root());
        Path weights = onnx.resolveSibling("face_recognition_model-weights_manifest.json");
        int n = PHOTOS.length;
        float[] nhwc = new float[n * S * S * 3];
        try (FaceAnalyzer a =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1))) {
            for (int i = 0; i < n; i++) {
                RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media(PHOTOS[i])));
                Box box = a.detect(img).get(0);
                RgbImage chip =
                        FaceAligner.align(
                                img,
                                FaceAligner.fivePoints(a.landmarks68(img, box)),
                                FaceAligner.Alignment.DLIB_150);
                byte[] rgb = chip.rgb();
                for (int p = 0; p < S * S * 3; p++) {
                    nhwc[i * S * S * 3 + p] = rgb[p] & 0xFF;
                }
            }
        }
        Path in = tmp.resolve("in.bin");
        Path out = tmp.resolve("out.bin");
        ByteBuffer buf = ByteBuffer.allocate(nhwc.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(nhwc);
        Files.write(in, buf.array());
        Path runner =
                Path.of(
                        TfjsReferenceITCase.run(
                                        List.of(
                                                "bash",
                                                TfjsReferenceITCase.repo()
                                                        .resolve(
                                                                "deploy/bin/install-tfjs-reference.sh")
                                                        .toString()))
                                .strip());
        String info =
                TfjsReferenceITCase.run(
                        List.of(
                                "node",
                                runner.resolve("dlib-resnet.mjs").toString(),
                                weights.toString(),
                                in.toString(),
                                String.valueOf(n),
                                out.toString()));
        assertThat(info).contains("\"shape\":[" + n + ",128]");
        FloatBuffer expected =
                ByteBuffer.wrap(Files.readAllBytes(out))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();

        float[] actual;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor t =
                        OnnxTensor.createTensor(
                                env,
                                FloatBuffer.wrap(TfjsToOnnxTest.toNchw(nhwc, n, S, S, 3)),
                                new long[] {n, 3, S, S});
                OrtSession.Result r = s.run(Map.of(m.input().name(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            actual = new float[fb.remaining()];
            fb.get(actual);
        }
        assertThat(actual).hasSize(expected.remaining());
        double maxDiff = 0;
        double maxValue = 0;
        double minCosine = 1;
        for (int f = 0; f < n; f++) {
            float[] x = new float[128];
            float[] y = new float[128];
            for (int i = 0; i < 128; i++) {
                x[i] = actual[f * 128 + i];
                y[i] = expected.get(f * 128 + i);
                maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                maxValue = Math.max(maxValue, Math.abs(y[i]));
            }
            minCosine =
                    Math.min(
                            minCosine,
                            VectorMath.dot(VectorMath.l2Normalize(x), VectorMath.l2Normalize(y)));
        }
        System.out.printf(
                "converted dlib ResNet vs TensorFlow.js: max |diff| %.2e (largest |value| %.3f),"
                        + " lowest cosine %.8f over %d faces%n",
                maxDiff, maxValue, minCosine, n);
        assertThat(maxDiff).isLessThan(1e-5);
        assertThat(minCosine).isGreaterThan(0.999999);
    }
}
