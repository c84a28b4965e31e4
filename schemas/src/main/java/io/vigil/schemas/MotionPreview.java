package io.vigil.schemas;

/**
 * The content of {@link Frame}'s {@code motionPreview}: the frame's grey levels at 1/8 scale, one
 * byte per 8x8 block ({@code width / 8} by {@code height / 8}, row by row; the partial blocks of
 * the right and bottom edges are left out), each the integer BT.601 luma mean of every second pixel
 * of every second row of its block. Noise averages out in the blocks, which is what a motion gate
 * compares between frames. The producer computes it from the pixels it encodes, so the job can tell
 * whether anything changed without decoding the image; the job computes the same from decoded
 * pixels for a frame that carries none.
 */
public final class MotionPreview {
    /** Frame pixels per side of a block. */
    public static final int BLOCK = 8;

    private MotionPreview() {}

    /** Blocks across a frame of this width. */
    public static int width(int frameWidth) {
        return frameWidth / BLOCK;
    }

    /** Blocks down a frame of this height. */
    public static int height(int frameHeight) {
        return frameHeight / BLOCK;
    }

    /** Bytes of the preview of a frame of this size. */
    public static int length(int frameWidth, int frameHeight) {
        return width(frameWidth) * height(frameHeight);
    }

    /**
     * The preview of interleaved 8-bit pixels, three bytes per pixel, rows {@code 3 * width} bytes
     * apart: red, green, blue in that order, or blue, green, red when {@code bgr}.
     */
    public static byte[] of(byte[] pixels, int width, int height, boolean bgr) {
        if (width < 0 || height < 0 || pixels.length < 3L * width * height) {
            throw new IllegalArgumentException(
                    pixels.length + " bytes cannot hold " + width + "x" + height + " pixels");
        }
        int r = bgr ? 2 : 0;
        int b = bgr ? 0 : 2;
        int sw = width(width);
        int sh = height(height);
        byte[] out = new byte[sw * sh];
        for (int by = 0; by < sh; by++) {
            for (int bx = 0; bx < sw; bx++) {
                int sum = 0;
                for (int y = by * BLOCK; y < by * BLOCK + BLOCK; y += 2) {
                    int i = (y * width + bx * BLOCK) * 3;
                    for (int x = 0; x < BLOCK; x += 2, i += 6) {
                        // Integer luma (BT.601 weights / 256).
                        sum +=
                                77 * (pixels[i + r] & 0xFF)
                                        + 150 * (pixels[i + 1] & 0xFF)
                                        + 29 * (pixels[i + b] & 0xFF);
                    }
                }
                out[by * sw + bx] = (byte) (sum / (16 * 256));
            }
        }
        return out;
    }
}
