package io.vigil.job;

import io.vigil.watchlist.camera.Regions;

/** A validated frame with decoded RGB pixels. A Flink POJO. */
public class DecodedFrame {
    public String cameraId;
    public long sequence;
    public long captureTimestamp;
    public long ingestTimestamp;
    public int width;
    public int height;
    public byte[] rgb;

    /**
     * The camera's regions of interest when the frame was decoded (see {@link Regions#polygons});
     * null or empty for the whole frame.
     */
    public float[][] regions;

    /** The purposes the camera is authorized for when the frame was decoded. */
    public String[] purposes;

    public DecodedFrame() {}
}
