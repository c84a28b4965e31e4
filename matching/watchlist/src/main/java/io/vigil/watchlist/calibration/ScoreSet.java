package io.vigil.watchlist.calibration;

import io.vigil.index.VectorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Genuine (same person) and impostor (different people) similarity scores of a labelled set, and
 * the verification error rates they imply: FMR(t), the share of impostor pairs scoring at or above
 * t, and FNMR(t), the share of genuine pairs scoring below it.
 */
public final class ScoreSet {
    private final double[] genuine;
    private final double[] impostor;

    public ScoreSet(double[] genuine, double[] impostor) {
        this.genuine = genuine.clone();
        this.impostor = impostor.clone();
        Arrays.sort(this.genuine);
        Arrays.sort(this.impostor);
    }

    /** All pairs of faces: same label genuine, different label impostor. */
    public static ScoreSet of(List<LabelledFaces.Face> faces) {
        List<Double> gen = new ArrayList<>();
        List<Double> imp = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                double s = VectorMath.dot(faces.get(i).embedding(), faces.get(j).embedding());
                (faces.get(i).person().equals(faces.get(j).person()) ? gen : imp).add(s);
            }
        }
        return new ScoreSet(
                gen.stream().mapToDouble(Double::doubleValue).toArray(),
                imp.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public double[] genuine() {
        return genuine.clone();
    }

    public double[] impostor() {
        return impostor.clone();
    }

    public int genuinePairs() {
        return genuine.length;
    }

    public int impostorPairs() {
        return impostor.length;
    }

    public double fmr(double threshold) {
        return impostor.length == 0 ? 0 : atOrAbove(impostor, threshold) / (double) impostor.length;
    }

    /**
     * The equal error rate: over every observed score as a threshold, the smallest value of the
     * larger of FMR and FNMR (where the two curves cross).
     */
    public double eer() {
        double best = 1;
        for (double[] scores : new double[][] {genuine, impostor}) {
            for (double t : scores) {
                best = Math.min(best, Math.max(fmr(t), fnmr(t)));
                best = Math.min(best, Math.max(fmr(Math.nextUp(t)), fnmr(Math.nextUp(t))));
            }
        }
        return best;
    }

    public double fnmr(double threshold) {
        return genuine.length == 0
                ? 0
                : (genuine.length - atOrAbove(genuine, threshold)) / (double) genuine.length;
    }

    /**
     * The lowest threshold (rounded up to 1e-4, or finer where the next higher score is closer than
     * that: models whose scores crowd near 1 need it) at which the impostor pairs scoring at or
     * above it are at most {@code targetFmr} of all. With n impostor pairs no rate under 1/n can be
     * observed: for such targets this is just above the highest impostor score, and {@link
     * #resolvableFmr()} says what the data can actually support.
     */
    public double thresholdForFmr(double targetFmr) {
        if (impostor.length == 0) {
            throw new IllegalStateException("no impostor pairs: need at least two people");
        }
        int allowed = (int) Math.floor(targetFmr * impostor.length);
        if (allowed >= impostor.length) {
            return roundUp(impostor[0]);
        }
        double kth = impostor[impostor.length - 1 - allowed]; // the (allowed+1)-th highest
        return roundUpBelow(kth, nextAbove(kth));
    }

    /** The smallest score of either kind above {@code v}, or +infinity. */
    private double nextAbove(double v) {
        double next = Double.POSITIVE_INFINITY;
        for (double[] sorted : new double[][] {genuine, impostor}) {
            int i = sorted.length - atOrAbove(sorted, Math.nextUp(v));
            if (i < sorted.length) {
                next = Math.min(next, sorted[i]);
            }
        }
        return next;
    }

    /**
     * A round number above {@code v}: the coarsest of 1e-4 ... 1e-7 that stays at or below {@code
     * next}, so rounding never rejects a score the exact threshold would accept.
     */
    static double roundUpBelow(double v, double next) {
        for (double scale = 1e4; scale <= 1e7; scale *= 10) {
            double t = Math.ceil(Math.nextUp(v) * scale) / scale;
            if (t <= v) {
                t += 1 / scale;
            }
            if (t <= next) {
                return t;
            }
        }
        return Math.nextUp(v);
    }

    /** A threshold as text: four decimals, more when it was rounded finer. */
    public static String format(double threshold) {
        String s =
                java.math.BigDecimal.valueOf(threshold)
                        .setScale(7, java.math.RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString();
        int dot = s.indexOf('.');
        int decimals = dot < 0 ? 0 : s.length() - dot - 1;
        return decimals >= 4 ? s : String.format(java.util.Locale.ROOT, "%.4f", threshold);
    }

    /** The smallest FMR this many impostor pairs can resolve (one false match). */
    public double resolvableFmr() {
        return impostor.length == 0 ? 1 : 1.0 / impostor.length;
    }

    /** (FMR, FNMR) at every distinct score, for a DET curve. */
    public List<double[]> detCurve() {
        double[] all = new double[genuine.length + impostor.length];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        Arrays.sort(all);
        List<double[]> points = new ArrayList<>();
        double last = Double.NaN;
        for (double t : all) {
            if (t != last) {
                points.add(new double[] {t, fmr(t), fnmr(t)});
                last = t;
            }
        }
        return points;
    }

    private static int atOrAbove(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    private static double roundUp(double v) {
        return Math.ceil(v * 1e4) / 1e4;
    }
}
