package io.vigil.ingest;

import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one camera with FFmpeg, samples frames at the configured rate, JPEG-encodes them and
 * publishes {@link Frame} records. A live source that drops is reopened with exponential backoff; a
 * file stops at its end (or starts over when looping). {@link #stop()} ends the loop cleanly.
 */
public final class CameraProducer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraProducer.class);

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.set();
    }

    private final CameraSpec spec;
    private final FramePublisher publisher;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastFrameAt = new AtomicLong(Long.MIN_VALUE);
    private volatile CameraState state = CameraState.STARTING;
    private volatile String lastError;
    private volatile Consumer<CameraProducer> onStateChange = p -> {};
    private long lastReportAt = System.currentTimeMillis();
    private long lastReportFrames;

    public CameraProducer(CameraSpec spec, FramePublisher publisher) {
        this.spec = spec;
        this.publisher = publisher;
    }

    /** Called on every state change (started, dropped, reconnected, ended, failed). */
    public void onStateChange(Consumer<CameraProducer> listener) {
        this.onStateChange = listener;
    }

    /**
     * The camera's health now; the frame rate is measured since the previous call, so one caller
     * (the status reporter) should own the calls.
     */
    public synchronized CameraStatus status(long droppedFrames) {
        long now = System.currentTimeMillis();
        long frames = published.get();
        float fps =
                now > lastReportAt
                        ? (frames - lastReportFrames) * 1000f / (now - lastReportAt)
                        : 0f;
        lastReportAt = now;
        lastReportFrames = frames;
        long last = lastFrameAt.get();
        return CameraStatus.newBuilder()
                .setCameraId(spec.cameraId())
                .setReportedAt(Instant.ofEpochMilli(now))
                .setState(state)
                .setSource(redact(spec.source()))
                .setLastFrameAt(last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last))
                .setFramesPublished(frames)
                .setFramesPerSecond(fps)
                .setFramesDropped(droppedFrames)
                .setReconnects(reconnects.get())
                .setErrors(errors.get())
                .setLastError(lastError)
                .build();
    }

    private void enter(CameraState next) {
        if (state != next) {
            state = next;
            onStateChange.accept(this);
        }
    }

    /**
     * The source without its user information (user:password), so statuses and logs never carry
     * credentials. The user information is everything between {@code ://} and the last {@code @} of
     * the URL: a password may itself hold {@code @}, {@code #} or {@code /}, so no URL parser's
     * idea of the authority is trusted here. Removing too much is safe; too little is not.
     */
    static String redact(String source) {
        if (source == null) {
            return null;
        }
        int scheme = source.indexOf("://");
        if (scheme < 0) {
            return source;
        }
        int at = source.lastIndexOf('@');
        if (at < scheme + 3) {
            return source;
        }
        return source.substring(0, scheme + 3) + source.substring(at + 1);
    }

    /**
     * A message that may quote the source (FFmpeg's errors do), with the credentials removed: every
     * URL in it redacted, and any remaining copy of the source's user information or password
     * masked.
     */
    static String scrub(String message, String source) {
        if (message == null) {
            return null;
        }
        String out = message;
        int scheme = source == null ? -1 : source.indexOf("://");
        int at = source == null ? -1 : source.lastIndexOf('@');
        if (scheme >= 0 && at > scheme + 3) {
            String userInfo = source.substring(scheme + 3, at);
            out = out.replace(source, redact(source)).replace(userInfo, "***");
            int colon = userInfo.indexOf(':');
            if (colon >= 0 && colon + 1 < userInfo.length()) {
                out = out.replace(userInfo.substring(colon + 1), "***");
            }
        }
        StringBuilder b = new StringBuilder(out.length());
        int i = 0;
        while (i < out.length()) {
            int s = out.indexOf("://", i);
            if (s < 0) {
                b.append(out, i, out.length());
                break;
            }
            int end = s + 3;
            while (end < out.length()
                    && !Character.isWhitespace(out.charAt(end))
                    && "'\"<>".indexOf(out.charAt(end)) < 0) {
                end++;
            }
            String token = out.substring(s + 3, end);
            int tokenAt = token.lastIndexOf('@');
            b.append(out, i, s + 3);
            b.append(tokenAt >= 0 ? token.substring(tokenAt + 1) : token);
            i = end;
        }
        return b.toString();
    }

    @Override
    public void run() {
        Duration backoff = spec.reconnectInitialBackoff();
        long sequence = 0;
        try (JpegEncoder jpeg = new JpegEncoder(spec.jpegQuality());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            while (running.get()) {
                boolean endOfFile;
                try (FFmpegFrameGrabber grabber = open()) {
                    backoff = spec.reconnectInitialBackoff();
                    enter(CameraState.STREAMING);
                    FrameSampler sampler = new FrameSampler(spec.sampleFps());
                    long startNanos = System.nanoTime();
                    long firstTs = Long.MIN_VALUE;
                    endOfFile = true;
                    org.bytedeco.javacv.Frame f;
                    while (running.get() && (f = grabber.grabImage()) != null) {
                        long ts = f.timestamp;
                        if (!sampler.keep(ts)) {
                            continue;
                        }
                        if (firstTs == Long.MIN_VALUE) {
                            firstTs = ts;
                        }
                        if (spec.realtime() && !spec.isLive()) {
                            pace(startNanos, ts - firstTs);
                        }
                        BufferedImage img = converter.convert(f);
                        if (img == null) {
                            continue;
                        }
                        long now = System.currentTimeMillis();
                        byte[] encoded = jpeg.encode(img);
                        publisher.publish(
                                Frame.newBuilder()
                                        .setCameraId(spec.cameraId())
                                        .setSequence(sequence++)
                                        .setCaptureTimestamp(Instant.ofEpochMilli(now))
                                        .setIngestTimestamp(
                                                Instant.ofEpochMilli(System.currentTimeMillis()))
                                        .setWidth(img.getWidth())
                                        .setHeight(img.getHeight())
                                        .setCodec(ImageCodec.JPEG)
                                        .setImage(ByteBuffer.wrap(encoded))
                                        .setMotionPreview(ByteBuffer.wrap(JpegEncoder.preview(img)))
                                        .build());
                        published.incrementAndGet();
                        lastFrameAt.set(now);
                        if (spec.maxFrames() > 0 && published.get() >= spec.maxFrames()) {
                            running.set(false);
                        }
                    }
                } catch (org.bytedeco.javacv.FrameGrabber.Exception | RuntimeException e) {
                    errors.incrementAndGet();
                    lastError = scrub(e.getMessage(), spec.source());
                    if (!spec.isLive()) {
                        enter(CameraState.FAILED);
                        throw new IllegalStateException(
                                "camera "
                                        + spec.cameraId()
                                        + ": cannot read "
                                        + redact(spec.source())
                                        + ": "
                                        + scrub(e.getMessage(), spec.source()));
                    }
                    endOfFile = false;
                    LOG.warn(
                            "camera {}: source failed ({}); reconnecting in {} ms",
                            spec.cameraId(),
                            scrub(e.getMessage(), spec.source()),
                            backoff.toMillis());
                }
                if (!running.get()) {
                    break;
                }
                if (spec.isLive() || !endOfFile) {
                    reconnects.incrementAndGet();
                    enter(CameraState.RECONNECTING);
                    sleep(backoff);
                    backoff = min(backoff.multipliedBy(2), spec.reconnectMaxBackoff());
                } else if (!spec.loop()) {
                    break;
                }
            }
        } finally {
            publisher.flush();
            if (state != CameraState.FAILED) {
                enter(CameraState.STOPPED);
            }
            LOG.info("camera {}: stopped after {} frames", spec.cameraId(), published.get());
        }
    }

    private FFmpegFrameGrabber open() throws org.bytedeco.javacv.FrameGrabber.Exception {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.source());
        if (spec.isLive()) {
            g.setOption("rtsp_transport", "tcp");
            g.setOption(
                    "rw_timeout",
                    "5000000"); // microseconds: a dead stream errors instead of hanging
        }
        g.start();
        return g;
    }

    public void stop() {
        running.set(false);
    }

    public long published() {
        return published.get();
    }

    public CameraState state() {
        return state;
    }

    public long reconnects() {
        return reconnects.get();
    }

    public CameraSpec spec() {
        return spec;
    }

    private static void pace(long startNanos, long mediaMicros) {
        long waitNanos = startNanos + mediaMicros * 1000 - System.nanoTime();
        if (waitNanos > 0) {
            sleep(Duration.ofNanos(waitNanos));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
