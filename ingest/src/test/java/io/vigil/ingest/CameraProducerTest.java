package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.CameraState;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ImageCodec;
import io.vigil.schemas.MotionPreview;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Real FFmpeg decoding of the real sample video. */
class CameraProducerTest {

    static Path media(String name) {
        String env = System.getenv("VIGIL_ASSETS");
        String root =
                System.getProperty(
                        "vigil.assets",
                        env != null && !env.isBlank()
                                ? env
                                : System.getProperty("user.home") + "/.cache/vigil/assets");
        Path p = Path.of(root, "media", name);
        assertThat(p).as("run deploy/bin/fetch-assets.sh").exists();
        return p;
    }

    /** Collects what a camera publishes; one instance per test, no static state. */
    static final class CollectingPublisher implements FramePublisher {
        final List<Frame> frames = new ArrayList<>();
        boolean flushed;

        @Override
        public void publish(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {}
    }

    @Test
    void samplesAFileAndStopsAtMaxFrames() throws Exception {
        CollectingPublisher out = new CollectingPublisher();
        CameraSpec spec =
                CameraSpec.of("cam-1", media("franck.mp4").toString(), 4)
                        .withRealtime(false)
                        .withMaxFrames(6);
        CameraProducer producer = new CameraProducer(spec, out);
        producer.run();

        assertThat(out.frames).hasSize(6);
        assertThat(out.flushed).isTrue();
        assertThat(out.frames)
                .extracting(Frame::getSequence)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        Frame first = out.frames.get(0);
        assertThat(first.getCameraId()).isEqualTo("cam-1");
        assertThat(first.getCodec()).isEqualTo(ImageCodec.JPEG);
        assertThat(first.getWidth()).isEqualTo(360);
        assertThat(first.getHeight()).isEqualTo(288);
        ByteBuffer img = first.getImage();
        byte[] bytes = new byte[img.remaining()];
        img.duplicate().get(bytes);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(decoded.getWidth()).isEqualTo(360);
        // The motion preview: one grey level per 8x8 block of the frame, as the job would compute
        // it from the decoded JPEG (JPEG keeps block means to within a few grey levels).
        for (Frame f : out.frames) {
            ByteBuffer p = f.getMotionPreview();
            assertThat(p).isNotNull();
            assertThat(p.remaining()).isEqualTo(MotionPreview.length(360, 288)).isEqualTo(45 * 36);
        }
        byte[] preview = new byte[first.getMotionPreview().remaining()];
        first.getMotionPreview().duplicate().get(preview);
        byte[] fromJpeg = JpegEncoder.preview(decoded);
        double diff = 0;
        for (int i = 0; i < preview.length; i++) {
            diff += Math.abs((preview[i] & 0xFF) - (fromJpeg[i] & 0xFF));
        }
        assertThat(diff / preview.length).isLessThan(2.0);
    }

    @Test
    void thePreviewOfAnImageNotPackedAsBgrIsThatOfItsPixels() {
        BufferedImage argb = new BufferedImage(16, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                argb.setRGB(x, y, x < 8 ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        assertThat(JpegEncoder.preview(argb)).containsExactly((byte) 0, (byte) 255);
    }

    @Test
    void stopsAtEndOfAShortFile() throws Exception {
        CollectingPublisher out = new CollectingPublisher();
        // cap13_edit2.mp4 is short; at 1 fps it yields a handful of frames and then ends.
        CameraProducer producer =
                new CameraProducer(
                        CameraSpec.of("cam-2", media("cap13_edit2.mp4").toString(), 1)
                                .withRealtime(false),
                        out);
        producer.run();
        assertThat(out.frames).isNotEmpty().hasSizeLessThan(120);
        assertThat(producer.reconnects()).isZero();
    }

    @Test
    void aMissingFileFailsWithItsName() {
        CameraProducer producer =
                new CameraProducer(
                        CameraSpec.of("cam-3", "/nonexistent/video.mp4", 1).withRealtime(false),
                        new CollectingPublisher());
        assertThatThrownBy(producer::run).hasMessageContaining("/nonexistent/video.mp4");
    }

    @Test
    void liveSourceDetection() {
        assertThat(CameraSpec.of("a", "rtsp://127.0.0.1/x", 1).isLive()).isTrue();
        assertThat(CameraSpec.of("a", "http://127.0.0.1/x.mjpg", 1).isLive()).isTrue();
        assertThat(CameraSpec.of("a", "/data/x.mp4", 1).isLive()).isFalse();
        assertThat(CameraSpec.of("a", "file:///data/x.mp4", 1).isLive()).isFalse();
    }

    @Test
    void liveSourceThatIsDownIsRetriedWithBackoffUntilStopped() throws Exception {
        CollectingPublisher out = new CollectingPublisher();
        // Nothing listens on this loopback port: every connect is refused at once.
        CameraSpec spec =
                new CameraSpec(
                        "cam-4",
                        "rtsp://127.0.0.1:1/none",
                        1,
                        false,
                        false,
                        0,
                        85,
                        Duration.ofMillis(20),
                        Duration.ofMillis(80));
        CameraProducer producer = new CameraProducer(spec, out);
        Thread t = new Thread(producer);
        t.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (producer.reconnects() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        producer.stop();
        t.join(20_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(producer.reconnects()).isGreaterThanOrEqualTo(3);
        assertThat(out.frames).isEmpty();
    }

    @Test
    void statusReportsFollowTheCameraFromStreamingToStopped() throws Exception {
        CollectingPublisher out = new CollectingPublisher();
        CameraProducer producer =
                new CameraProducer(
                        CameraSpec.of("cam-5", media("franck.mp4").toString(), 2)
                                .withRealtime(false)
                                .withMaxFrames(8),
                        out);
        List<CameraStatus> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CameraStatusReporter reporter =
                new CameraStatusReporter(
                        List.of(producer), reports::add, () -> 3L, Duration.ofMinutes(1))) {
            producer.run();
        }
        assertThat(reports)
                .extracting(CameraStatus::getState)
                .containsSubsequence(CameraState.STREAMING, CameraState.STOPPED);
        CameraStatus last = reports.get(reports.size() - 1);
        assertThat(last.getState()).isEqualTo(CameraState.STOPPED);
        assertThat(last.getFramesPublished()).isEqualTo(8);
        assertThat(last.getLastFrameAt()).isNotNull();
        assertThat(last.getErrors()).isZero();
        assertThat(last.getFramesDropped()).isEqualTo(3);
        assertThat(last.getCameraId()).isEqualTo("cam-5");
    }

    @Test
    void aDownLiveSourceReportsReconnectingWithItsErrorAndNoCredentials() throws Exception {
        CameraSpec spec =
                new CameraSpec(
                        "cam-6",
                        "rtsp://viewer:s3cret@127.0.0.1:1/stream",
                        1,
                        false,
                        false,
                        0,
                        85,
                        Duration.ofMillis(20),
                        Duration.ofMillis(80));
        CameraProducer producer = new CameraProducer(spec, new CollectingPublisher());
        List<CameraStatus> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread t;
        try (CameraStatusReporter reporter =
                new CameraStatusReporter(
                        List.of(producer), reports::add, () -> 0L, Duration.ofMillis(50))) {
            t = new Thread(producer);
            t.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (producer.reconnects() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            CameraStatus now = producer.status(0);
            assertThat(now.getState()).isEqualTo(CameraState.RECONNECTING);
            assertThat(now.getErrors()).isGreaterThanOrEqualTo(2);
            assertThat(now.getLastError()).isNotBlank();
            assertThat(now.getLastFrameAt()).isNull();
            assertThat(now.getSource()).isEqualTo("rtsp://127.0.0.1:1/stream");
            producer.stop();
            t.join(20_000);
        }
        assertThat(reports).isNotEmpty();
        assertThat(reports).allSatisfy(r -> assertThat(r.getSource()).doesNotContain("s3cret"));
        assertThat(reports.get(reports.size() - 1).getState()).isEqualTo(CameraState.STOPPED);
    }

    @Test
    void credentialsAreRemovedEvenWhenThePasswordHoldsUrlCharacters() {
        for (String password : List.of("s3cret", "p@ss", "p#ss", "a/b@c", "x:y@z")) {
            String source = "rtsp://admin:" + password + "@127.0.0.1:1/x";
            assertThat(CameraProducer.redact(source)).isEqualTo("rtsp://127.0.0.1:1/x");
            String ffmpegError =
                    "avformat_open_input() error -111: Could not open input \""
                            + source
                            + "\". (Has setFormat() been called?)";
            String scrubbed = CameraProducer.scrub(ffmpegError, source);
            assertThat(scrubbed).doesNotContain(password).contains("rtsp://127.0.0.1:1/x");
            // A message quoting the password alone is masked too.
            assertThat(CameraProducer.scrub("auth failed for " + password, source))
                    .doesNotContain(password);
        }
        assertThat(CameraProducer.redact("/videos/a@b.mp4")).isEqualTo("/videos/a@b.mp4");
        assertThat(CameraProducer.scrub("see http://u:pw@h/x and rtsp://h2/y", "/file.mp4"))
                .isEqualTo("see http://h/x and rtsp://h2/y");
    }

    @Test
    void aDownCameraWhosePasswordHoldsAnAtSignLeaksItNowhere() throws Exception {
        String password = "p@ss";
        CameraSpec spec =
                new CameraSpec(
                        "cam-7",
                        "rtsp://admin:" + password + "@127.0.0.1:1/x",
                        1,
                        false,
                        false,
                        0,
                        85,
                        Duration.ofMillis(20),
                        Duration.ofMillis(80));
        CameraProducer producer = new CameraProducer(spec, new CollectingPublisher());
        Thread t = new Thread(producer);
        t.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (producer.reconnects() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        CameraStatus now = producer.status(0);
        producer.stop();
        t.join(20_000);
        assertThat(now.getLastError()).isNotBlank().doesNotContain(password).doesNotContain("ss@");
        assertThat(now.getSource()).isEqualTo("rtsp://127.0.0.1:1/x");
    }
}
