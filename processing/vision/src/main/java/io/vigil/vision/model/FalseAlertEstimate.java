package io.vigil.vision.model;

import java.util.Locale;

/**
 * How many false alerts a camera raises per hour for a watchlist of a given size: the arithmetic
 * that makes a threshold that is safe for 100 entries unsafe for 100,000.
 *
 * <p>A stranger's face in one frame is compared with every enrolled face; it false-matches the
 * watchlist with probability {@code q = 1 - (1 - FMR)^faces}, where FMR is the false-match rate per
 * comparison at the threshold, read from a measured impostor score sample. A person in view for
 * {@code m} frames raises an alert when {@code k} of them match (the consensus rule). Whether
 * consensus helps depends on how alike a stranger's frames are: if they were independent, the alert
 * rate would be {@code people × P[Binomial(m, q) ≥ k]}; since a stranger who resembles an enrolled
 * face does so in most frames, the rate can be as high as {@code people × q}. The latter is the
 * figure this class reports as <em>expected</em>; the former is the optimistic bound. Each comes
 * with its 95 % upper bound from the one-sided Clopper-Pearson bound on the FMR, which is what the
 * number of impostor pairs allows.
 */
public final class FalseAlertEstimate {

    /** What the watchlist and the street look like. */
    public record Load(
            long watchlistFaces, double peoplePerCameraHour, int framesPerPerson, int consensus) {
        public Load {
            if (watchlistFaces < 0 || peoplePerCameraHour < 0) {
                throw new IllegalArgumentException("watchlist faces and people must be >= 0");
            }
            if (framesPerPerson < 1 || consensus < 1) {
                throw new IllegalArgumentException("frames per person and consensus must be >= 1");
            }
        }
    }

    /**
     * The estimate at one threshold and load.
     *
     * @param fmr false-match rate per comparison (measured)
     * @param fmrUpper95 its 95 % upper bound
     * @param falseMatchesPerCameraHour face matches against the watchlist per camera-hour before
     *     consensus
     * @param falseAlertsPerCameraHour alerts per camera-hour when a stranger's frames are alike
     *     (the expectation reported)
     * @param falseAlertsPerCameraHourUpper95 the same at the FMR's upper bound
     * @param falseAlertsPerCameraHourIndependent alerts per camera-hour if frames were independent
     */
    public record Result(
            double threshold,
            Load load,
            long impostorPairs,
            double fmr,
            double fmrUpper95,
            double falseMatchesPerCameraHour,
            double falseAlertsPerCameraHour,
            double falseAlertsPerCameraHourUpper95,
            double falseAlertsPerCameraHourIndependent) {

        /** One line for a log or a terminal. */
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "expected false alerts per camera-hour %.3g (95%% upper bound %.3g; %.3g if a"
                            + " stranger's frames were independent) at threshold %.4g for %d"
                            + " enrolled faces, %.0f people per camera-hour, %d frames each,"
                            + " consensus %d; FMR %.2e (upper %.2e) from %d impostor pairs",
                    falseAlertsPerCameraHour,
                    falseAlertsPerCameraHourUpper95,
                    falseAlertsPerCameraHourIndependent,
                    threshold,
                    load.watchlistFaces(),
                    load.peoplePerCameraHour(),
                    load.framesPerPerson(),
                    load.consensus(),
                    fmr,
                    fmrUpper95,
                    impostorPairs);
        }
    }

    private FalseAlertEstimate() {}

    public static Result of(ImpostorSample sample, double threshold, Load load) {
        double fmr = sample.fmr(threshold);
        double upper = sample.fmrUpper95(threshold);
        double q = perFace(fmr, load.watchlistFaces());
        double qUpper = perFace(upper, load.watchlistFaces());
        double people = load.peoplePerCameraHour();
        int m = load.framesPerPerson();
        int k = Math.min(load.consensus(), m);
        boolean alerts = load.consensus() <= m;
        return new Result(
                threshold,
                load,
                sample.pairs(),
                fmr,
                upper,
                people * m * q,
                alerts ? people * q : 0,
                alerts ? people * qUpper : 0,
                alerts ? people * atLeast(k, m, q) : 0);
    }

    /** The chance one face matches some of {@code faces} enrolled faces. */
    static double perFace(double fmr, long faces) {
        if (fmr <= 0) {
            return 0;
        }
        return -Math.expm1(faces * Math.log1p(-Math.min(fmr, 1 - 1e-15)));
    }

    /** P[Binomial(n, p) >= k]. */
    static double atLeast(int k, int n, double p) {
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double below = 0;
        for (int i = 0; i < k; i++) {
            below += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return Math.max(0, 1 - below);
    }

    /**
     * The one-sided upper confidence bound for a binomial proportion with {@code k} successes in
     * {@code n} trials at level {@code 1 - alpha}: the p at which P[X <= k] = alpha.
     */
    static double clopperPearsonUpper(long k, long n, double alpha) {
        if (k >= n) {
            return 1;
        }
        double lo = (double) k / n;
        double hi = 1;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (cdf(k, n, mid) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** P[Binomial(n, p) <= k], by summing terms in log space. */
    private static double cdf(long k, long n, double p) {
        double sum = 0;
        for (long i = 0; i <= k; i++) {
            sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return sum;
    }

    private static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /** ln(n!) exactly for small n, by Stirling's series beyond. */
    private static double logFactorial(long n) {
        if (n < 64) {
            double s = 0;
            for (long i = 2; i <= n; i++) {
                s += Math.log(i);
            }
            return s;
        }
        double x = n;
        return x * Math.log(x)
                - x
                + 0.5 * Math.log(2 * Math.PI * x)
                + 1 / (12 * x)
                - 1 / (360 * x * x * x);
    }
}
