package io.vigil.vision.face;

/**
 * Simple, explainable quality components in 0..1: face size, frontal pose (nose centred between the
 * eyes) and sharpness (variance of the Laplacian of the aligned face). {@code overall} is their
 * geometric mean, so any one bad component pulls it down. Also kept, for quality filters: the face
 * height in pixels, mean brightness of the aligned face (0..1) and detector confidence.
 */
public record FaceQuality(
        float size,
        float pose,
        float sharpness,
        float overall,
        float heightPx,
        float brightness,
        float confidence) {

    static FaceQuality of(Box box, float[][] five, RgbImage aligned) {
        float size = clamp(box.height() / 80f);
        float eyeDx = five[1][0] - five[0][0];
        float eyeDy = five[1][1] - five[0][1];
        float eyeDist = (float) Math.hypot(eyeDx, eyeDy);
        float midX = (five[0][0] + five[1][0]) / 2;
        float pose = eyeDist <= 0 ? 0f : clamp(1f - 2f * Math.abs(five[2][0] - midX) / eyeDist);
        float sharp = clamp((float) (laplacianVariance(aligned) / 400.0));
        float overall = (float) Math.cbrt(size * pose * sharp);
        return new FaceQuality(
                size, pose, sharp, overall, box.height(), meanBrightness(aligned), box.score());
    }

    static float meanBrightness(RgbImage img) {
        double sum = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                sum += grey(img, x, y);
            }
        }
        return (float) (sum / (img.width() * (double) img.height()) / 255.0);
    }

    static double laplacianVariance(RgbImage img) {
        int w = img.width();
        int h = img.height();
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                double lap =
                        grey(img, x - 1, y)
                                + grey(img, x + 1, y)
                                + grey(img, x, y - 1)
                                + grey(img, x, y + 1)
                                - 4 * grey(img, x, y);
                sum += lap;
                sumSq += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static double grey(RgbImage img, int x, int y) {
        return 0.299 * img.at(x, y, 0) + 0.587 * img.at(x, y, 1) + 0.114 * img.at(x, y, 2);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
