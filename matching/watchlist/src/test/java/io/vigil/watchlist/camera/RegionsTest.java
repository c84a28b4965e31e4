package io.vigil.watchlist.camera;

import static io.vigil.watchlist.camera.TestCameras.polygon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.vision.face.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionsTest {
    static Box box(float cx, float cy) {
        return new Box(cx - 10, cy - 10, cx + 10, cy + 10, 0.9f);
    }

    @Test
    void aFaceCountsWhenItsBoxCentreIsInAnyPolygon() {
        // Left half as a rectangle, and a triangle in the lower right corner.
        Regions r =
                Regions.of(
                        List.of(
                                polygon(0, 0, 0.5f, 0, 0.5f, 1, 0, 1),
                                polygon(1, 0.6f, 1, 1, 0.6f, 1)));
        assertThat(r.contains(box(100, 100), 1000, 500)).isTrue(); // left half
        assertThat(r.contains(box(700, 100), 1000, 500)).isFalse(); // upper right
        assertThat(r.contains(box(950, 480), 1000, 500)).isTrue(); // in the triangle
        assertThat(r.contains(box(650, 320), 1000, 500)).isFalse(); // beside the triangle
        assertThat(r.count()).isEqualTo(2);
        assertThat(Regions.ofPolygons(r.polygons()).contains(box(950, 480), 1000, 500)).isTrue();
    }

    @Test
    void anAreaIsSkippedOnlyWhenNoFaceInsideItCouldBeInARegion() {
        Regions r = Regions.of(List.of(polygon(0.6f, 0.6f, 0.9f, 0.6f, 0.9f, 0.9f)));
        // Frame 1000x500: the triangle's bounding box is x 600..900, y 300..450.
        assertThat(r.mayContainFaceIn(new Box(0, 0, 400, 200, 0), 1000, 500)).isFalse();
        assertThat(r.mayContainFaceIn(new Box(500, 250, 650, 320, 0), 1000, 500)).isTrue();
        assertThat(r.mayContainFaceIn(new Box(880, 440, 1000, 500, 0), 1000, 500)).isTrue();
        assertThat(Regions.WHOLE_FRAME.mayContainFaceIn(new Box(0, 0, 1, 1, 0), 1000, 500))
                .isTrue();
    }

    @Test
    void noPolygonIsTheWholeFrameAndBadPolygonsAreRefused() {
        assertThat(Regions.of(List.of()).contains(box(999, 1), 1000, 500)).isTrue();
        assertThat(Regions.ofPolygons(null).wholeFrame()).isTrue();
        assertThatThrownBy(() -> Regions.of(List.of(polygon(0, 0, 1, 1))))
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Regions.of(List.of(polygon(0, 0, 1.5f, 0, 1, 1))))
                .hasMessageContaining("outside 0..1");
    }
}
