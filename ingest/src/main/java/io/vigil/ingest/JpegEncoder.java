package io.vigil.ingest;

import io.vigil.schemas.MotionPreview;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG encoding at a fixed quality with one reusable writer, and the motion preview. Not
 * thread-safe.
 */
public final class JpegEncoder implements AutoCloseable {
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

    public JpegEncoder(int quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer in this JRE");
        }
        writer = writers.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
    }

    public byte[] encode(BufferedImage image) {
        buffer.reset();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(buffer)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * The {@link MotionPreview} of the pixels {@link #encode} encodes, so the job can gate the
     * frame without decoding it: read in place from a blue-green-red image (what FFmpeg's converter
     * hands over), from a converted copy otherwise.
     */
    public static byte[] preview(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage bgr = image;
        if (!packedBgr(image)) {
            bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = bgr.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return MotionPreview.of(pixels, w, h, true);
    }

    private static boolean packedBgr(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getSampleModel() instanceof ComponentSampleModel m
                && m.getPixelStride() == 3
                && m.getScanlineStride() == 3 * image.getWidth()
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && image.getRaster().getDataBuffer() instanceof DataBufferByte d
                && d.getNumBanks() == 1
                && d.getOffset() == 0;
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
