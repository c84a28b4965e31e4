package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.gate.MotionGate;
import io.vigil.vision.model.AssetPaths;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The motion gate in front of the real tiled detector, on a real 1080p street with a real 40 px
 * face and sensor noise: a walking face is found in every frame at a fraction of the detector runs,
 * and a face that stands still where nothing keeps its area searched is found again by the interval
 * pass.
 */
class GatedDetectionTest {
    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() {
        analyzer =
                new FaceAnalyzer(
                        FaceModels.defaults(AssetPaths.root()),
                        DetectorSettings.defaults(),
                        InferenceOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    private static RgbImage camera(RgbImage scene, int i) {
        return StreetFrames.lit(scene, 1f + 0.005f * i, 0f, 3f, i);
    }

    @Test
    void aWalkingFaceIsFoundInEveryFrameWithFewerDetectorRuns() throws IOException {
        MotionGate gate = new MotionGate(MotionGate.Settings.defaults());
        int frames = 6;
        long gatedRuns = 0;
        long wholeRuns = 0;
        for (int i = 0; i < frames; i++) {
            float cx = 600 + 45 * i;
            RgbImage frame = camera(StreetFrames.withFace(analyzer, cx, 620, 40), i);
            long r0 = analyzer.detectorRuns();
            List<Box> all = StreetFrames.near(analyzer.detect(frame), cx, 620, 40);
            wholeRuns += analyzer.detectorRuns() - r0;

            MotionGate.Activity a = gate.observe(frame, 500L * i);
            r0 = analyzer.detectorRuns();
            List<Detection> gated = analyzer.detectFaces(frame, RegionFilter.WHOLE_FRAME, a);
            gatedRuns += analyzer.detectorRuns() - r0;
            List<Box> boxes = gated.stream().map(Detection::box).toList();
            gate.found(boxes);
            assertThat(all).as("ungated, frame %d", i).hasSize(1);
            assertThat(StreetFrames.near(boxes, cx, 620, 40)).as("gated, frame %d", i).hasSize(1);
        }
        // The first frame is searched whole, the others only around the walker.
        assertThat(gatedRuns).isLessThan(wholeRuns / 2);
    }

    @Test
    void aStillFaceIsFoundAgainByTheIntervalPass() throws IOException {
        MotionGate gate = new MotionGate(new MotionGate.Settings(32, 10, 2, 2000));
        RgbImage scene = StreetFrames.withFace(analyzer, 900, 500, 40);
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i <= 5; i++) {
            RgbImage frame = camera(scene, i);
            MotionGate.Activity a = gate.observe(frame, 500L * i);
            List<Box> boxes =
                    analyzer.detectFaces(frame, RegionFilter.WHOLE_FRAME, a).stream()
                            .map(Detection::box)
                            .toList();
            // Nothing reports the face to the gate, as when the detector missed it while the
            // person walked in: only the interval pass can find it.
            seen.append(StreetFrames.near(boxes, 900, 500, 40).isEmpty() ? '.' : 'F');
        }
        assertThat(seen.toString()).isEqualTo("F...F.");
    }
}
