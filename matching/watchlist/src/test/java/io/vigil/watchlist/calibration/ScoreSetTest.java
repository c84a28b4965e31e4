package io.vigil.watchlist.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreSetTest {
    // 10 impostor scores 0.00..0.45 step 0.05, 4 genuine scores.
    static final double[] IMPOSTOR = {0, .05, .10, .15, .20, .25, .30, .35, .40, .45};
    static final double[] GENUINE = {0.42, 0.6, 0.7, 0.9};

    @Test
    void ratesCountAtOrAboveForImpostorsAndBelowForGenuine() {
        ScoreSet s = new ScoreSet(GENUINE, IMPOSTOR);
        assertThat(s.fmr(0.40)).isEqualTo(0.2);
        assertThat(s.fmr(0.46)).isZero();
        assertThat(s.fnmr(0.40)).isZero();
        assertThat(s.fnmr(0.61)).isEqualTo(0.5);
    }

    @Test
    void theEqualErrorRateIsWhereTheLargerOfTheTwoRatesIsSmallest() {
        assertThat(new ScoreSet(GENUINE, IMPOSTOR).eer()).isEqualTo(0.1);
        assertThat(new ScoreSet(new double[] {0.8, 0.9}, new double[] {0.1, 0.2}).eer()).isZero();
    }

    @Test
    void thresholdForATargetFmrIsTheLowestThatMeetsIt() {
        ScoreSet s = new ScoreSet(GENUINE, IMPOSTOR);
        // 10% of 10 pairs: one impostor may pass, so just above the second highest (0.40).
        assertThat(s.thresholdForFmr(0.1)).isEqualTo(0.4001, offset(1e-9));
        assertThat(s.fmr(s.thresholdForFmr(0.1))).isEqualTo(0.1);
        assertThat(s.fnmr(s.thresholdForFmr(0.1))).isZero();
        // Under 1/n: just above the highest impostor, and the data says so.
        assertThat(s.thresholdForFmr(1e-3)).isEqualTo(0.4501, offset(1e-9));
        assertThat(s.fmr(s.thresholdForFmr(1e-3))).isZero();
        assertThat(s.fnmr(s.thresholdForFmr(1e-3))).isEqualTo(0.25); // the 0.42 pair is lost
        assertThat(s.resolvableFmr()).isEqualTo(0.1);
    }

    @Test
    void scoresCrowdedNearOneGetAFinerThresholdThatStillSeparatesThem() {
        // A collapsed scale like the converted MobileFaceNet's: every pair above 0.9998.
        double[] genuine = {0.999990, 0.999994, 0.999996, 0.999998};
        double[] impostor = {0.99980, 0.99984, 0.99986, 0.9999857};
        ScoreSet s = new ScoreSet(genuine, impostor);
        double t = s.thresholdForFmr(1e-3);
        assertThat(t).isGreaterThan(0.9999857).isLessThanOrEqualTo(0.999990);
        assertThat(s.fmr(t)).isZero();
        assertThat(s.fnmr(t)).isZero();
        assertThat(ScoreSet.format(t)).isEqualTo("0.99999");
        assertThat(ScoreSet.format(0.4001)).isEqualTo("0.4001");
        assertThat(ScoreSet.format(0.5)).isEqualTo("0.5000");
    }

    @Test
    void detCurveRunsFromAllAcceptedToAllRejected() {
        List<double[]> det = new ScoreSet(GENUINE, IMPOSTOR).detCurve();
        assertThat(det.get(0)[1]).isEqualTo(1.0); // lowest score: every impostor passes
        assertThat(det.get(0)[2]).isZero();
        double[] last = det.get(det.size() - 1);
        assertThat(last[1]).isZero();
        assertThat(last[2]).isEqualTo(0.75);
        for (int i = 1; i < det.size(); i++) {
            assertThat(det.get(i)[1]).isLessThanOrEqualTo(det.get(i - 1)[1]);
            assertThat(det.get(i)[2]).isGreaterThanOrEqualTo(det.get(i - 1)[2]);
        }
    }

    @Test
    void noImpostorPairsCannotCalibrate() {
        assertThatThrownBy(() -> new ScoreSet(GENUINE, new double[0]).thresholdForFmr(0.01))
                .hasMessageContaining("impostor");
    }

    @Test
    void calibrationFileRoundTripsAndRejectsAThresholdUnderItsFloor(@TempDir Path tmp)
            throws Exception {
        Calibration c =
                new Calibration(
                        "m",
                        1e-3,
                        0.45,
                        0,
                        0.25,
                        1e-2,
                        0.40,
                        4,
                        10,
                        3,
                        7,
                        "x",
                        new io.vigil.vision.model.ImpostorSample(10, 0.3, new double[] {0.35}));
        c.store(tmp.resolve("c.properties"));
        Calibration back = Calibration.load(tmp.resolve("c.properties"));
        assertThat(back.threshold()).isEqualTo(0.45);
        assertThat(back.impostors().pairs()).isEqualTo(10);
        assertThat(back.impostors().tailFrom()).isEqualTo(0.3);
        assertThat(back.impostors().tail()).containsExactly(0.35);
        assertThat(back.floor()).isEqualTo(0.40);
        assertThat(back.modelId()).isEqualTo("m");
        assertThatThrownBy(
                        () ->
                                new Calibration(
                                        "m",
                                        1e-3,
                                        0.3,
                                        0,
                                        0,
                                        1e-2,
                                        0.4,
                                        1,
                                        1,
                                        1,
                                        1,
                                        "",
                                        new io.vigil.vision.model.ImpostorSample(
                                                1, 0, new double[0])))
                .hasMessageContaining("floor");
    }
}
