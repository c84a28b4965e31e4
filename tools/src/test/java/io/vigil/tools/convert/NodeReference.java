package io.vigil.tools.convert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vigil.convert.TfjsToOnnxTest;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the checks of converted models against TensorFlow.js share: the same real faces, the
 * TensorFlow.js runner under Node (tools/src/test/tfjs-reference, installed by its install.sh), and
 * ONNX Runtime on the converted file.
 */
final class NodeReference {
    static final String[] PHOTOS = {
        "franck_02159.jpg", "franck_03909.jpg", "cage.jpg", "audrey.jpg", "SeanConnery.jpg"
    };

    private NodeReference() {}

    /**
     * The photos' faces aligned for an embedder, as one NHWC batch normalised by its manifest's
     * input.
     */
    static float[] faces(ModelManifest m, FaceAligner.Alignment alignment) throws IOException {
        int s = alignment.size();
        float[] nhwc = new float[PHOTOS.length * s * s * 3];
        try (FaceAnalyzer a =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1))) {
            for (int i = 0; i < PHOTOS.length; i++) {
                RgbImage img = RgbImage.decode(Files.readAllBytes(AssetPaths.media(PHOTOS[i])));
                Box box = a.detect(img).get(0);
                byte[] rgb =
                        FaceAligner.align(
                                        img,
                                        FaceAligner.fivePoints(a.landmarks68(img, box)),
                                        alignment)
                                .rgb();
                for (int p = 0; p < s * s * 3; p++) {
                    nhwc[i * s * s * 3 + p] =
                            ((rgb[p] & 0xFF) - m.input().mean()) * m.input().scale();
                }
            }
        }
        return nhwc;
    }

    static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        Files.write(file, buf.array());
    }

    static float[] readFloats(Path file) throws IOException {
        FloatBuffer b =
                ByteBuffer.wrap(Files.readAllBytes(file))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    /** Runs a script of the TensorFlow.js runner with these arguments; returns its stdout. */
    static String node(String script, String... args) throws Exception {
        Path runner =
                Path.of(
                        run(List.of(
                                        "bash",
                                        Path.of("src", "test", "tfjs-reference", "install.sh")
                                                .toString()))
                                .strip());
        List<String> command = new ArrayList<>(List.of("node", runner.resolve(script).toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The converted model's outputs in ONNX Runtime for an NHWC batch of s x s faces. */
    static float[] onnx(Path model, String input, float[] nhwc, int n, int s) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session =
                        env.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor t =
                        OnnxTensor.createTensor(
                                env,
                                FloatBuffer.wrap(TfjsToOnnxTest.toNchw(nhwc, n, s, s, 3)),
                                new long[] {n, 3, s, s});
                OrtSession.Result r = session.run(Map.of(input, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, stderr).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
