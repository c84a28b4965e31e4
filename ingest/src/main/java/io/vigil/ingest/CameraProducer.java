package io.vigil.ingest;

import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URISyntaxException;
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

    /** The source without user:password, so statuses and logs never carry credentials. */
    static String redact(String source) {
        try {
            URI u = new URI(source);
            if (u.getUserInfo() == null) {
                return source;
            }
            return new URI(
                            u.getScheme(),
                            null,
                            u.getHost(),
                            u.getPort(),
                            u.getPath(),
                            u.getQuery(),
                            u.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return source.replaceAll("//[^/@]*@", "//");
        }
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
                                        .build());
                        published.incrementAndGet();
                        lastFrameAt.set(now);
                        if (spec.maxFrames() > 0 && published.get() >= spec.maxFrames()) {
                            running.set(false);
                        }
                    }
                } catch (org.bytedeco.javacv.FrameGrabber.Exception | RuntimeException e) {
                    errors.incrementAndGet();
                    lastError = e.getMessage();
                    if (!spec.isLive()) {
                        enter(CameraState.FAILED);
                        throw new IllegalStateException(
                                "camera "
                                        + spec.cameraId()
                                        + ": cannot read "
                                        + redact(spec.source()),
                                e);
                    }
                    endOfFile = false;
                    LOG.warn(
                            "camera {}: source failed ({}); reconnecting in {} ms",
                            spec.cameraId(),
                            e.getMessage(),
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
