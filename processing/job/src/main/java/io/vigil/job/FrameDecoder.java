package io.vigil.job;

import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.Frame;
import io.vigil.schemas.MotionPreview;
import io.vigil.vision.face.RgbImage;
import io.vigil.watchlist.camera.CameraRule;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Function;

/**
 * Turns a raw Kafka record into a validated, decoded frame, or says exactly why not. Checks run
 * cheapest first: size, Avro schema (by fingerprint), camera registration, image decode. A frame
 * with a motion preview has only its image header and preview checked here; its pixels are decoded
 * later, and only if the motion gate needs them.
 */
public final class FrameDecoder implements Serializable {
    static {
        AvroLimits.apply();
    }

    private static final long serialVersionUID = 1L;

    private final int maxBytes;
    private final int maxPixels;

    public FrameDecoder(int maxBytes, int maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /**
     * Either a frame or a rejection, never both; {@code camera} is the registry rule a rejection
     * applied, when one did.
     */
    public record Result(
            DecodedFrame frame, DeadLetterReason reason, String detail, CameraRule camera) {
        static Result ok(DecodedFrame f) {
            return new Result(f, null, null, null);
        }

        static Result reject(DeadLetterReason reason, String detail) {
            return new Result(null, reason, detail, null);
        }
    }

    /**
     * Decodes a record; {@code cameras} gives the registry rule of a camera id, or null when it is
     * not registered; {@code now} is the processing time (epoch millis): a frame is processed only
     * when both its capture time and {@code now} lie in the camera's authorization window, so
     * neither a replay nor a forged capture time stretches it.
     */
    public Result decode(RawRecord r, Function<String, CameraRule> cameras, long now) {
        if (r.value == null || r.value.length == 0) {
            return Result.reject(DeadLetterReason.EMPTY, "record has no value");
        }
        if (r.value.length > maxBytes) {
            return Result.reject(
                    DeadLetterReason.OVERSIZE,
                    "record is "
                            + r.value.length
                            + " bytes, over vigil.frame.max.bytes="
                            + maxBytes);
        }
        Frame frame;
        try {
            frame = Frame.getDecoder().decode(ByteBuffer.wrap(r.value));
        } catch (IOException | RuntimeException e) {
            // Avro signals some malformed input with other runtime exceptions than its own
            // (a length beyond what a JVM array can hold, found by fuzzing): all are bad records.
            return Result.reject(
                    DeadLetterReason.SCHEMA_MISMATCH,
                    "not a Frame in Avro single-object encoding: " + e);
        }
        CameraRule camera = cameras.apply(frame.getCameraId());
        if (camera == null) {
            return Result.reject(
                    DeadLetterReason.UNKNOWN_CAMERA,
                    "camera '" + frame.getCameraId() + "' is not in the camera registry");
        }
        if (!camera.active()) {
            return Result.reject(
                    DeadLetterReason.CAMERA_SUSPENDED,
                    "camera '" + frame.getCameraId() + "' is suspended in the camera registry");
        }
        long captured = frame.getCaptureTimestamp().toEpochMilli();
        if (!camera.authorizedAt(captured) || !camera.authorizedAt(now)) {
            return new Result(
                    null,
                    DeadLetterReason.CAMERA_NOT_AUTHORIZED,
                    "camera '"
                            + frame.getCameraId()
                            + "' is authorized from "
                            + Instant.ofEpochMilli(camera.authorizedFrom())
                            + " until "
                            + Instant.ofEpochMilli(camera.authorizedUntil())
                            + "; frame captured "
                            + Instant.ofEpochMilli(captured)
                            + ", processed "
                            + Instant.ofEpochMilli(now),
                    camera);
        }
        long declaredPixels = (long) frame.getWidth() * frame.getHeight();
        if (declaredPixels > maxPixels) {
            return Result.reject(
                    DeadLetterReason.OVERSIZE,
                    "frame "
                            + frame.getWidth()
                            + "x"
                            + frame.getHeight()
                            + " is over vigil.frame.max.pixels="
                            + maxPixels);
        }
        byte[] encoded = byteArray(frame.getImage());
        DecodedFrame out = new DecodedFrame();
        try {
            if (frame.getMotionPreview() != null) {
                // Decoding waits until the motion gate needs pixels; the header is checked now.
                RgbImage.Size size = RgbImage.size(encoded, maxPixels);
                byte[] preview = byteArray(frame.getMotionPreview());
                int expected = MotionPreview.length(size.width(), size.height());
                if (preview.length != expected) {
                    return Result.reject(
                            DeadLetterReason.CORRUPT_IMAGE,
                            "motion preview is "
                                    + preview.length
                                    + " bytes; a "
                                    + size.width()
                                    + "x"
                                    + size.height()
                                    + " image's has "
                                    + expected);
                }
                out.width = size.width();
                out.height = size.height();
                out.encoded = encoded;
                out.preview = preview;
                out.source = r;
            } else {
                RgbImage img = RgbImage.decode(encoded, maxPixels);
                out.width = img.width();
                out.height = img.height();
                out.rgb = img.rgb();
            }
        } catch (RgbImage.TooLargeException e) {
            return Result.reject(
                    DeadLetterReason.OVERSIZE,
                    "image header declares "
                            + e.width()
                            + "x"
                            + e.height()
                            + " (the frame claims "
                            + frame.getWidth()
                            + "x"
                            + frame.getHeight()
                            + "), over vigil.frame.max.pixels="
                            + maxPixels);
        } catch (IOException e) {
            return Result.reject(
                    DeadLetterReason.CORRUPT_IMAGE, frame.getCodec() + " image: " + e.getMessage());
        }
        if ((long) out.width * out.height > maxPixels) {
            return Result.reject(
                    DeadLetterReason.OVERSIZE,
                    "decoded image "
                            + out.width
                            + "x"
                            + out.height
                            + " is over vigil.frame.max.pixels="
                            + maxPixels);
        }
        out.cameraId = frame.getCameraId();
        out.sequence = frame.getSequence();
        out.captureTimestamp = frame.getCaptureTimestamp().toEpochMilli();
        out.ingestTimestamp = frame.getIngestTimestamp().toEpochMilli();
        out.regions = camera.regions().wholeFrame() ? null : camera.regions().polygons();
        out.purposes = camera.purposes().toArray(String[]::new);
        return Result.ok(out);
    }

    private static byte[] byteArray(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
