package io.vigil.job;

import io.vigil.watchlist.camera.Regions;

/**
 * A validated frame: its decoded RGB pixels, or, when the producer sent a motion preview, the
 * preview and the still-encoded image, decoded only if the motion gate needs pixels. A Flink POJO.
 */
public class DecodedFrame {
    public String cameraId;
    public long sequence;
    public long captureTimestamp;
    public long ingestTimestamp;
    public int width;
    public int height;

    /** The pixels, row by row, three bytes each; null until decoded. */
    public byte[] rgb;

    /** The encoded image when {@link #rgb} is null. */
    public byte[] encoded;

    /** The producer's {@code MotionPreview} of the frame, or null. */
    public byte[] preview;

    /** The record the frame came in, to dead-letter it if its image fails to decode later. */
    public RawRecord source;

    /**
     * The camera's regions of interest when the frame was decoded (see {@link Regions#polygons});
     * null or empty for the whole frame.
     */
    public float[][] regions;

    /** The purposes the camera is authorized for when the frame was decoded. */
    public String[] purposes;

    public DecodedFrame() {}
}
