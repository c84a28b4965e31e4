package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

    @Test
    void keepsHighestScoringOfOverlappingBoxesAndSeparateOnes() {
        Box a = new Box(0, 0, 10, 10, 0.9f);
        Box aShifted = new Box(1, 1, 11, 11, 0.8f);
        Box far = new Box(50, 50, 60, 60, 0.7f);
        List<Box> kept = Nms.suppress(List.of(aShifted, far, a), 0.4f, 10);
        assertThat(kept).containsExactly(a, far);
    }

    @Test
    void respectsMaxKeep() {
        List<Box> kept =
                Nms.suppress(
                        List.of(new Box(0, 0, 1, 1, 0.5f), new Box(5, 5, 6, 6, 0.6f)), 0.4f, 1);
        assertThat(kept).hasSize(1).first().extracting(Box::score).isEqualTo(0.6f);
    }

    @Test
    void iouOfIdenticalAndDisjointBoxes() {
        Box b = new Box(0, 0, 10, 10, 1f);
        assertThat(b.iou(b)).isEqualTo(1f);
        assertThat(b.iou(new Box(20, 20, 30, 30, 1f))).isZero();
        assertThat(b.iou(new Box(5, 0, 15, 10, 1f)))
                .isCloseTo(50f / 150f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
