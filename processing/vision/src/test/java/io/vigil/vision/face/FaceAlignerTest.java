package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class FaceAlignerTest {

    @Test
    void similarityTransformRecoversKnownRotationScaleAndShift() {
        double angle = Math.toRadians(20);
        double s = 1.7;
        SimilarityTransform truth =
                new SimilarityTransform(s * Math.cos(angle), s * Math.sin(angle), 12.5, -3.0);
        float[][] src = {{0, 0}, {10, 0}, {5, 8}, {2, 14}, {9, 13}};
        float[][] dst = new float[src.length][];
        for (int i = 0; i < src.length; i++) {
            dst[i] = truth.apply(src[i][0], src[i][1]);
        }
        SimilarityTransform fit = SimilarityTransform.estimate(src, dst);
        assertThat(fit.a()).isCloseTo(truth.a(), offset(1e-4));
        assertThat(fit.b()).isCloseTo(truth.b(), offset(1e-4));
        assertThat(fit.tx()).isCloseTo(12.5, offset(1e-3));
        assertThat(fit.ty()).isCloseTo(-3.0, offset(1e-3));
        float[] roundTrip = fit.inverse().apply(dst[2][0], dst[2][1]);
        assertThat(roundTrip[0]).isCloseTo(5f, offset(1e-3f));
        assertThat(roundTrip[1]).isCloseTo(8f, offset(1e-3f));
    }

    @Test
    void dlibChipsPutDlibsMeanFaceWhereDlibDoes() {
        float[][] t = FaceAligner.Alignment.DLIB_150.template(5);
        // dlib's mean face is centred at x 0.490 of the face: (0.25 + 0.490) / 1.5 * 150 = 74.0.
        assertThat((t[0][0] + t[1][0]) / 2).isCloseTo(74.0f, offset(0.1f));
        assertThat(t[2][0]).isCloseTo(74.0f, offset(0.1f));
        assertThat(t[0][1]).isLessThan(t[2][1]);
        assertThat(t[2][1]).isLessThan(t[3][1]);
        assertThat(FaceAligner.Alignment.of("dlib150")).isEqualTo(FaceAligner.Alignment.DLIB_150);
        assertThat(FaceAligner.Alignment.of("arcface112").size()).isEqualTo(112);
        // A face whose points already sit on the template is copied pixel for pixel.
        byte[] rgb = new byte[150 * 150 * 3];
        new java.util.Random(3).nextBytes(rgb);
        RgbImage img = new RgbImage(150, 150, rgb);
        RgbImage chip = FaceAligner.align(img, t, FaceAligner.Alignment.DLIB_150);
        assertThat(chip.width()).isEqualTo(150);
        int same = 0;
        for (int i = 0; i < rgb.length; i++) {
            if (Math.abs((rgb[i] & 0xFF) - (chip.rgb()[i] & 0xFF)) <= 1) {
                same++;
            }
        }
        assertThat(same).isGreaterThan((int) (rgb.length * 0.99));
    }

    @Test
    void fivePointsAverageTheEyeContoursAndPickNoseAndMouthCorners() {
        float[] lm = new float[136];
        for (int i = 0; i < 68; i++) {
            lm[i * 2] = i;
            lm[i * 2 + 1] = 100 + i;
        }
        float[][] five = FaceAligner.fivePoints(lm);
        assertThat(five[0]).containsExactly(38.5f, 138.5f); // mean of 36..41
        assertThat(five[1]).containsExactly(44.5f, 144.5f); // mean of 42..47
        assertThat(five[2]).containsExactly(30f, 130f);
        assertThat(five[3]).containsExactly(48f, 148f);
        assertThat(five[4]).containsExactly(54f, 154f);
    }

    @Test
    void alignPutsTheFivePointsOnTheTemplate() {
        // A synthetic frame with bright dots exactly where five points are; after alignment the
        // dots must sit on the template positions.
        int w = 300;
        int h = 300;
        byte[] px = new byte[w * h * 3];
        SimilarityTransform placement =
                new SimilarityTransform(1.5 * Math.cos(0.3), 1.5 * Math.sin(0.3), 60, 40);
        float[][] five = new float[5][];
        for (int i = 0; i < 5; i++) {
            five[i] = placement.apply(FaceAligner.TEMPLATE[i][0], FaceAligner.TEMPLATE[i][1]);
            int cx = Math.round(five[i][0]);
            int cy = Math.round(five[i][1]);
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    int o = ((cy + dy) * w + cx + dx) * 3;
                    px[o] = px[o + 1] = px[o + 2] = (byte) 255;
                }
            }
        }
        RgbImage aligned = FaceAligner.align(new RgbImage(w, h, px), five);
        assertThat(aligned.width()).isEqualTo(112);
        for (float[] t : FaceAligner.TEMPLATE) {
            assertThat(aligned.at(Math.round(t[0]), Math.round(t[1]), 0)).isGreaterThan(200);
        }
        assertThat(aligned.at(5, 5, 0)).isZero();
    }
}
