package io.vigil.vision.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Impostor similarity scores measured by calibration: the total number of impostor pairs and every
 * score at or above {@code tailFrom} (the rest are below it).
 */
public record ImpostorSample(long pairs, double tailFrom, double[] tail)
        implements java.io.Serializable {
    public ImpostorSample {
        if (pairs <= 0) {
            throw new IllegalArgumentException("impostor pairs must be positive, was " + pairs);
        }
        tail = tail.clone();
        Arrays.sort(tail);
        if (tail.length > pairs) {
            throw new IllegalArgumentException(
                    "more tail scores (" + tail.length + ") than impostor pairs " + pairs);
        }
        for (double s : tail) {
            if (s < tailFrom) {
                throw new IllegalArgumentException(
                        "tail score " + s + " is under the tail's start " + tailFrom);
            }
        }
    }

    /** All scores of a calibration, keeping those at or above {@code tailFrom}. */
    public static ImpostorSample of(double[] impostorScores, double tailFrom) {
        return new ImpostorSample(
                impostorScores.length,
                tailFrom,
                Arrays.stream(impostorScores).filter(s -> s >= tailFrom).toArray());
    }

    /**
     * Impostor pairs scoring at or above {@code threshold}. Below the tail's start every tail score
     * counts, which understates the count: such a threshold is refused by {@link #fmrUpper95}.
     */
    public long above(double threshold) {
        int i = Arrays.binarySearch(tail, threshold);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && tail[i - 1] == threshold) {
                i--;
            }
        }
        return tail.length - i;
    }

    public double fmr(double threshold) {
        return (double) above(threshold) / pairs;
    }

    /** The one-sided 95 % Clopper-Pearson upper bound of the FMR at {@code threshold}. */
    public double fmrUpper95(double threshold) {
        if (threshold < tailFrom) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "threshold %.4f is below the impostor sample's tail (%.4f)",
                            threshold,
                            tailFrom));
        }
        return FalseAlertEstimate.clopperPearsonUpper(above(threshold), pairs, 0.05);
    }
}
