package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * YuNet, SCRFD and BlazeFace decoding on output tensors laid out as their documentation describes:
 * no YuNet or SCRFD model can be fetched from the registries this project uses, so these tensors
 * are encoded here from known boxes. BlazeFace also runs on real model outputs in {@code
 * FaceAnalyzerTest}.
 */
class DetectionDecodersTest {
    private static final DetectorSettings SETTINGS = new DetectorSettings(0.5f, 0.4f, 10, 8, 0);
    private static final int IN = 64;
    private static final int FRAME_W = 128;
    private static final int FRAME_H = 96;

    @Test
    void yunetDecodesCentreLogSizeAndKeypointsPerLocation() {
        YuNetDecoder d = new YuNetDecoder(new int[] {8, 16, 32}, IN, IN, SETTINGS);
        Map<String, float[]> out = new HashMap<>();
        for (int s : new int[] {8, 16, 32}) {
            int n = (IN / s) * (IN / s);
            out.put("cls." + s, new float[n]);
            out.put("obj." + s, new float[n]);
            out.put("bbox." + s, new float[4 * n]);
            out.put("kps." + s, new float[10 * n]);
        }
        // A face centred at (20, 28) input px, 16 x 20, at stride 8 location (col 2, row 3),
        // and the same face predicted a little less surely by the next location (suppressed).
        putYunet(out, 3 * 8 + 2, 2, 3, 0.9f);
        putYunet(out, 3 * 8 + 3, 3, 3, 0.7f);
        out.get("cls.16")[0] = 0.3f; // sqrt(0.3 * 0.3) below the threshold
        out.get("obj.16")[0] = 0.3f;
        List<Detection> faces = d.decode(out, FRAME_W, FRAME_H);
        assertThat(faces).hasSize(1);
        Box b = faces.get(0).box();
        assertThat(b.score()).isCloseTo(0.9f, offset(1e-5f));
        assertThat(new float[] {b.x1(), b.y1(), b.x2(), b.y2()})
                .containsExactly(new float[] {24f, 27f, 56f, 57f}, offset(1e-3f));
        float[][] p = faces.get(0).points();
        assertThat(p).hasNumberOfRows(5);
        assertThat(p[0]).containsExactly(new float[] {32f, 36f}, offset(1e-3f));
        assertThat(p[4]).containsExactly(new float[] {48f, 54f}, offset(1e-3f));
        assertThat(d.outputKeys()).hasSize(12).contains("kps.32");
    }

    private static void putYunet(Map<String, float[]> out, int i, int col, int row, float p) {
        out.get("cls.8")[i] = p;
        out.get("obj.8")[i] = p;
        float[] bbox = out.get("bbox.8");
        bbox[4 * i] = 20f / 8 - col;
        bbox[4 * i + 1] = 28f / 8 - row;
        bbox[4 * i + 2] = (float) Math.log(16f / 8);
        bbox[4 * i + 3] = (float) Math.log(20f / 8);
        float[] kps = out.get("kps.8");
        // right eye (16, 24) ... left mouth corner (24, 36), in input px
        float[][] pts = {{16, 24}, {24, 24}, {20, 29}, {17, 33}, {24, 36}};
        for (int k = 0; k < 5; k++) {
            kps[10 * i + 2 * k] = pts[k][0] / 8 - col;
            kps[10 * i + 2 * k + 1] = pts[k][1] / 8 - row;
        }
    }

    @Test
    void scrfdDecodesDistancesFromAnchorCentres() {
        ScrfdDecoder d = new ScrfdDecoder(new int[] {8, 16, 32}, 2, IN, IN, SETTINGS);
        Map<String, float[]> out = new HashMap<>();
        for (int s : new int[] {8, 16, 32}) {
            int n = (IN / s) * (IN / s) * 2;
            out.put("score." + s, new float[n]);
            out.put("bbox." + s, new float[4 * n]);
            out.put("kps." + s, new float[10 * n]);
        }
        // second anchor of stride-16 location (col 1, row 2): centre (16, 32)
        int i = (2 * 4 + 1) * 2 + 1;
        out.get("score.16")[i] = 0.8f;
        System.arraycopy(new float[] {0.5f, 1f, 0.5f, 1.25f}, 0, out.get("bbox.16"), 4 * i, 4);
        float[] kps = out.get("kps.16");
        kps[10 * i] = -0.25f; // right eye 4 px left of the centre
        kps[10 * i + 1] = -0.5f; // and 8 px above
        List<Detection> faces = d.decode(out, FRAME_W, FRAME_H);
        assertThat(faces).hasSize(1);
        Box b = faces.get(0).box();
        assertThat(new float[] {b.x1(), b.y1(), b.x2(), b.y2()})
                .containsExactly(new float[] {16f, 24f, 48f, 78f}, offset(1e-3f));
        assertThat(faces.get(0).points()[0]).containsExactly(new float[] {24f, 36f}, offset(1e-3f));
        out.put("score.8", new float[3]);
        assertThatThrownBy(() -> d.decode(out, FRAME_W, FRAME_H))
                .hasMessageContaining("SCRFD stride 8");
    }

    @Test
    void blazefaceAppliesTheSigmoidAndOffsetsFromCellCentres() {
        BlazeFaceDecoder d =
                new BlazeFaceDecoder(new int[] {16, 8}, new int[] {2, 6}, 128, 128, SETTINGS);
        Map<String, float[]> out = new HashMap<>();
        out.put("scores.0", filled(512, -10f));
        out.put("boxes.0", new float[512 * 16]);
        out.put("scores.1", filled(384, -10f));
        out.put("boxes.1", new float[384 * 16]);
        // second anchor of grid-1 cell (col 3, row 2): centre ((3.5 / 8) * 128, (2.5 / 8) * 128)
        int i = (2 * 8 + 3) * 6 + 1;
        out.get("scores.1")[i] = 2f; // sigmoid 0.881
        float[] box = {4f, -2f, 40f, 44f, -10f, -8f, 10f, -8f, 0f, 4f, 0f, 14f};
        System.arraycopy(box, 0, out.get("boxes.1"), 16 * i, box.length);
        List<Detection> faces = d.decode(out, 256, 128);
        assertThat(faces).hasSize(1);
        Box b = faces.get(0).box();
        assertThat(b.score()).isCloseTo(0.8808f, offset(1e-4f));
        float cx = 56f + 4f;
        float cy = 40f - 2f;
        assertThat(new float[] {b.x1(), b.y1(), b.x2(), b.y2()})
                .containsExactly(
                        new float[] {(cx - 20) * 2, cy - 22, (cx + 20) * 2, cy + 22},
                        offset(1e-3f));
        float[][] p = faces.get(0).points();
        assertThat(p).hasNumberOfRows(4);
        assertThat(p[0]).containsExactly(new float[] {(56 - 10) * 2, 40 - 8}, offset(1e-3f));
        assertThat(p[3]).containsExactly(new float[] {56 * 2, 40 + 14}, offset(1e-3f));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
