package io.vigil.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class FalseAlertEstimateTest {

    @Test
    void clopperPearsonMatchesKnownBounds() {
        // No event in n trials: 1 - 0.05^(1/n), the "rule of three" for large n.
        assertThat(FalseAlertEstimate.clopperPearsonUpper(0, 1000, 0.05))
                .isCloseTo(1 - Math.pow(0.05, 1 / 1000.0), withPercentage(0.1));
        // 5 events: the Poisson 95 % one-sided upper bound is 10.51 events.
        assertThat(FalseAlertEstimate.clopperPearsonUpper(5, 100_000, 0.05) * 100_000)
                .isCloseTo(10.51, withPercentage(1));
        assertThat(FalseAlertEstimate.clopperPearsonUpper(10, 10, 0.05)).isEqualTo(1);
    }

    @Test
    void theImpostorSampleCountsScoresAtOrAboveTheThreshold() {
        ImpostorSample s = new ImpostorSample(1000, 0.2, new double[] {0.45, 0.21, 0.3, 0.3, 0.5});
        assertThat(s.above(0.3)).isEqualTo(4);
        assertThat(s.above(0.31)).isEqualTo(2);
        assertThat(s.above(0.6)).isZero();
        assertThat(s.fmr(0.3)).isEqualTo(0.004);
        assertThat(s.fmrUpper95(0.6)).isCloseTo(0.002991, offset(1e-5));
        assertThatThrownBy(() -> s.fmrUpper95(0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below the impostor sample's tail");
        assertThat(ImpostorSample.of(new double[] {0.1, 0.25, -0.2}, 0.2).tail()).hasSize(1);
        assertThatThrownBy(() -> new ImpostorSample(1, 0.2, new double[] {0.3, 0.4}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void falseAlertsGrowWithTheWatchlistAndConsensusOnlyHelpsIndependentFrames() {
        // FMR 1e-4 per comparison.
        double[] tail = new double[10];
        java.util.Arrays.fill(tail, 0.6);
        ImpostorSample s = new ImpostorSample(100_000, 0.3, tail);
        FalseAlertEstimate.Load small = new FalseAlertEstimate.Load(100, 300, 6, 3);
        FalseAlertEstimate.Load large = new FalseAlertEstimate.Load(10_000, 300, 6, 3);
        FalseAlertEstimate.Result a = FalseAlertEstimate.of(s, 0.5, small);
        FalseAlertEstimate.Result b = FalseAlertEstimate.of(s, 0.5, large);
        // q = 1 - (1 - 1e-4)^100 ~ 0.00995; 300 people an hour.
        assertThat(a.falseAlertsPerCameraHour()).isCloseTo(300 * 0.009951, withPercentage(0.1));
        assertThat(a.falseMatchesPerCameraHour())
                .isCloseTo(6 * 300 * 0.009951, withPercentage(0.1));
        assertThat(b.falseAlertsPerCameraHour()).isGreaterThan(50 * a.falseAlertsPerCameraHour());
        assertThat(a.falseAlertsPerCameraHourIndependent())
                .isLessThan(a.falseAlertsPerCameraHour() / 100);
        assertThat(a.falseAlertsPerCameraHourUpper95()).isGreaterThan(a.falseAlertsPerCameraHour());
        // A higher threshold with no impostor above it: only the upper bound is left.
        FalseAlertEstimate.Result strict = FalseAlertEstimate.of(s, 0.7, small);
        assertThat(strict.falseAlertsPerCameraHour()).isZero();
        assertThat(strict.falseAlertsPerCameraHourUpper95()).isPositive();
        assertThat(strict.summary()).contains("expected false alerts per camera-hour");
        // A consensus longer than anyone stays in view never alerts.
        assertThat(
                        FalseAlertEstimate.of(s, 0.5, new FalseAlertEstimate.Load(100, 300, 2, 3))
                                .falseAlertsPerCameraHour())
                .isZero();
    }
}
