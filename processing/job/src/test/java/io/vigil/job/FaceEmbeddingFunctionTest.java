package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DeadLetterReason;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.MotionPreview;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.StreetFrames;
import io.vigil.vision.gate.FaceTracks;
import io.vigil.vision.gate.MotionGate;
import io.vigil.vision.model.AssetPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detect-embed operator under Flink's harness, real models on real 1080p street frames: a face
 * that stays in view is embedded only as often as the track rules allow, each camera has its own
 * tracks and gate, and neither is ever checkpointed.
 */
class FaceEmbeddingFunctionTest {
    private static RgbImage left;
    private static RgbImage right;
    private static RgbImage empty;

    @BeforeAll
    static void frames() throws Exception {
        try (var a =
                new io.vigil.vision.face.FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1))) {
            left = StreetFrames.withFace(a, 700, 600, 60);
            right = StreetFrames.withFace(a, 1300, 500, 60);
            empty = StreetFrames.street();
        }
    }

    private static FaceEmbeddingFunction function(long reembedMs) {
        return new FaceEmbeddingFunction(
                FaceModels.defaults(AssetPaths.root()),
                DetectorSettings.defaults(),
                QualityFilter.NONE,
                InferenceOptions.cpu(1),
                MotionGate.Settings.defaults(),
                new FaceTracks.Settings(3, 0.1f, reembedMs, 2000, 0.3f, 10f));
    }

    private static DecodedFrame frame(String camera, RgbImage scene, int i) {
        RgbImage img = StreetFrames.lit(scene, 1f, 0f, 3f, i);
        DecodedFrame f = new DecodedFrame();
        f.cameraId = camera;
        f.sequence = i;
        f.captureTimestamp = 1_000_000 + 500L * i;
        f.ingestTimestamp = f.captureTimestamp;
        f.width = img.width();
        f.height = img.height();
        f.rgb = img.rgb();
        return f;
    }

    @Test
    void aFaceInViewIsEmbeddedForTheConsensusThenOncePerInterval() throws Exception {
        try (OneInputStreamOperatorTestHarness<DecodedFrame, FaceDetection> h =
                ProcessFunctionTestHarnesses.forProcessFunction(function(2000))) {
            // Two cameras interleaved, 12 frames each (6 s at 2 fps), one still face in each.
            for (int i = 0; i < 12; i++) {
                h.processElement(frame("cam-a", left, i), 0);
                h.processElement(frame("cam-b", right, i), 0);
            }
            List<FaceDetection> out = h.extractOutputValues();
            for (String cam : List.of("cam-a", "cam-b")) {
                // Frames 0-2 decide the track; then one every 2 s: frames 6 and 10.
                assertThat(
                                out.stream()
                                        .filter(d -> d.getCameraId().equals(cam))
                                        .map(FaceDetection::getFrameSequence))
                        .as(cam)
                        .containsExactly(0L, 1L, 2L, 6L, 10L);
            }
            // Gates and tracks live in memory only: nothing of them reaches a checkpoint.
            var snapshot = h.snapshot(1, 1);
            assertThat(snapshot.getManagedOperatorState()).isEmpty();
            assertThat(snapshot.getManagedKeyedState()).isEmpty();
            assertThat(snapshot.getRawOperatorState()).isEmpty();
        }
    }

    @Test
    void withTheRulesOffEveryFrameIsEmbedded() throws Exception {
        try (OneInputStreamOperatorTestHarness<DecodedFrame, FaceDetection> h =
                ProcessFunctionTestHarnesses.forProcessFunction(function(0))) {
            for (int i = 0; i < 6; i++) {
                h.processElement(frame("cam-a", left, i), 0);
            }
            assertThat(h.extractOutputValues())
                    .extracting(FaceDetection::getFrameSequence)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        }
    }

    private static int startOfScan(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                return i;
            }
        }
        throw new IllegalStateException("no start-of-scan marker");
    }

    /** A frame as a producer with motion previews sends it: encoded, with its preview. */
    private static DecodedFrame encoded(String camera, RgbImage scene, int i, byte[] jpeg) {
        DecodedFrame f = frame(camera, scene, i);
        f.preview = MotionPreview.of(f.rgb, f.width, f.height, false);
        f.encoded =
                jpeg != null ? jpeg : FaceCrops.jpeg(new RgbImage(f.width, f.height, f.rgb), 0.85f);
        f.rgb = null;
        f.source =
                new RawRecord(
                        "vigil.frames",
                        0,
                        i,
                        0,
                        camera.getBytes(StandardCharsets.UTF_8),
                        ("record " + i).getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void aFrameWithAPreviewIsDecodedOnlyWhenSomethingIsToBeSearched() throws Exception {
        byte[] good = FaceCrops.jpeg(StreetFrames.lit(empty, 1f, 0f, 3f, 0), 0.85f);
        // A valid header over a scan the decoder refuses: found only if the frame is decoded.
        byte[] broken = good.clone();
        int scan = startOfScan(broken);
        java.util.Arrays.fill(broken, scan + 20, scan + 2000, (byte) 0xFF);
        try (OneInputStreamOperatorTestHarness<DecodedFrame, FaceDetection> h =
                ProcessFunctionTestHarnesses.forProcessFunction(function(2000))) {
            h.processElement(encoded("cam-a", left, 0, null), 0);
            // The face found stays searched: frames 1-2 are decoded (the track's consensus).
            h.processElement(encoded("cam-a", left, 1, null), 0);
            h.processElement(encoded("cam-a", left, 2, null), 0);
            // An empty street from 1.5 s: the face's area changed, so frame 3 is decoded; then
            // nothing moves, and 2-3.5 s are never decoded: a broken body there costs nothing.
            h.processElement(encoded("cam-a", empty, 3, null), 0);
            for (int i = 4; i < 8; i++) {
                h.processElement(encoded("cam-a", empty, i, broken), 0);
            }
            // 4 s: the interval's full pass must decode its frame, and cannot.
            h.processElement(encoded("cam-a", empty, 8, broken), 0);
            // 4.5 s: the person is back.
            h.processElement(encoded("cam-a", left, 9, null), 0);
            assertThat(h.extractOutputValues())
                    .extracting(FaceDetection::getFrameSequence)
                    .containsExactly(0L, 1L, 2L, 9L);
            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo(DeadLetterReason.CORRUPT_IMAGE);
            assertThat(dead.get(0).getSourceOffset()).isEqualTo(8L);
            // The record it came in is kept, as the decoder keeps a corrupt image's.
            assertThat(StandardCharsets.UTF_8.decode(dead.get(0).getOriginalValue()).toString())
                    .isEqualTo("record 8");
        }
    }
}
