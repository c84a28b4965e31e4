package io.vigil.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The int8 form of dlib's descriptor against the float one, on every face of the sample photos and
 * of frames of the three sample videos: the same faces, nearly the same vectors, and each face's
 * int8 vector closest to its own float vector.
 */
class Int8EmbedderTest {
    static final String INT8 = "dlib-resnet-v1-faceapi-1.7.15-int8";

    @Test
    void int8EmbeddingsStayWithTheirFloatOnes() throws Exception {
        FaceModels f = FaceModels.defaults(AssetPaths.root());
        FaceModels q =
                new FaceModels(
                        f.detector(), f.landmarks(), ModelCatalog.builtIn(INT8), f.assetsDir());
        List<float[]> floats = new ArrayList<>();
        List<float[]> int8s = new ArrayList<>();
        try (FaceAnalyzer a =
                        new FaceAnalyzer(f, DetectorSettings.defaults(), InferenceOptions.cpu(1));
                FaceAnalyzer b =
                        new FaceAnalyzer(q, DetectorSettings.defaults(), InferenceOptions.cpu(1))) {
            Random noise = new Random(7);
            for (Path photo : Int8Calibration.photos(AssetPaths.root().resolve("media"))) {
                RgbImage img = RgbImage.decode(Files.readAllBytes(photo));
                for (RgbImage version : List.of(img, night(img, noise))) {
                    a.analyze(version, QualityFilter.NONE)
                            .faces()
                            .forEach(x -> floats.add(x.embedding()));
                    b.analyze(version, QualityFilter.NONE)
                            .faces()
                            .forEach(x -> int8s.add(x.embedding()));
                }
            }
        }
        // Both analyzers share the detector and landmarks, so the faces come in the same order.
        assertThat(int8s).hasSameSizeAs(floats).hasSizeGreaterThan(60);
        double worst = 1;
        double sum = 0;
        for (int i = 0; i < floats.size(); i++) {
            double own = dot(floats.get(i), int8s.get(i));
            worst = Math.min(worst, own);
            sum += own;
            for (int j = 0; j < floats.size(); j++) {
                if (j != i) {
                    assertThat(dot(floats.get(j), int8s.get(i)))
                            .as("face %d's int8 vector is closer to face %d than to itself", i, j)
                            .isLessThan(own);
                }
            }
        }
        System.out.printf(
                "int8 vs float: %d faces, cosine mean %.5f, lowest %.5f%n",
                floats.size(), sum / floats.size(), worst);
        assertThat(worst).isGreaterThan(0.99);
    }

    /** A third of the light, with sensor noise (sigma 4 grey levels). */
    private static RgbImage night(RgbImage img, Random noise) {
        byte[] rgb = img.rgb().clone();
        for (int i = 0; i < rgb.length; i++) {
            double v = (rgb[i] & 0xFF) / 3.0 + noise.nextGaussian() * 4;
            rgb[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
        return new RgbImage(img.width(), img.height(), rgb);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
