package io.vigil.processing.model.convert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted MobileFaceNet against the original: the same real aligned faces run through the
 * TensorFlow.js graph with TensorFlow.js's own CPU kernels under Node (deploy/tools/tfjs-reference,
 * installed by deploy/bin/install-tfjs-reference.sh) and through the ONNX file in ONNX Runtime.
 */
class TfjsReferenceITCase {
    private static final String[] PHOTOS = {
        "franck_02159.jpg", "franck_03909.jpg", "cage.jpg", "audrey.jpg", "SeanConnery.jpg"
    };
    private static final int S = 112;

    @Test
    void onnxRuntimeGivesTensorFlowJsOutputsOnRealFaces(@TempDir Path tmp) throws Exception {
        ModelManifest m = ModelCatalog.builtIn("mobilefacenet-tf-human-3.0.4");
        Path onnx = ModelCatalog.ensure(m, AssetPaths.root());
        Path modelJson = onnx.resolveSibling("mobilefacenet.json");
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
                RgbImage face =
                        FaceAligner.align(img, FaceAligner.fivePoints(a.landmarks68(img, box)));
                byte[] rgb = face.rgb();
                for (int p = 0; p < S * S * 3; p++) {
                    nhwc[i * S * S * 3 + p] =
                            ((rgb[p] & 0xFF) - m.input().mean()) * m.input().scale();
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
                        run(List.of(
                                        "bash",
                                        repo().resolve("deploy/bin/install-tfjs-reference.sh")
                                                .toString()))
                                .strip());
        String info =
                run(
                        List.of(
                                "node",
                                runner.resolve("run.mjs").toString(),
                                modelJson.toString(),
                                in.toString(),
                                String.valueOf(n),
                                "112",
                                "112",
                                "3",
                                m.output("embedding"),
                                out.toString()));
        assertThat(info).contains("\"shape\":[" + n + ",192]");
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
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected.get(i)));
        }
        System.out.printf(
                "converted MobileFaceNet vs TensorFlow.js: max |diff| %.2e over %d faces%n",
                maxDiff, n);
        assertThat(maxDiff).isLessThan(1e-5);
    }

    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        return Files.isDirectory(p.resolve("deploy")) ? p : p.getParent();
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, stderr).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
