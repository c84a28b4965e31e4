package io.vigil.processing.job;

/** A validated frame with decoded RGB pixels. A Flink POJO. */
public class DecodedFrame {
    public String cameraId;
    public long sequence;
    public long captureTimestamp;
    public long ingestTimestamp;
    public int width;
    public int height;
    public byte[] rgb;

    public DecodedFrame() {}
}
