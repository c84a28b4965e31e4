package io.vigil.watchlist.calibration;

import io.vigil.index.VectorMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verification and identification figures of a labelled folder at a threshold: FMR and FNMR over
 * all pairs, and rank-1 identification with the first photo of each person as the gallery and the
 * other photos as probes (people with one photo are gallery-only distractors).
 */
public record ImageEvaluation(
        long people,
        int faces,
        int skippedPhotos,
        ScoreSet scores,
        double threshold,
        double fmr,
        double fnmr,
        int probes,
        int rank1Correct,
        int rank1CorrectAtThreshold,
        Map<Double, double[]> operatingPoints,
        List<Pair> hardestImpostors,
        List<Pair> hardestGenuine) {

    /** Two photos and their similarity; the hardest pairs point at labelling errors too. */
    public record Pair(String a, String b, double similarity) {}

    /** How many hardest pairs of each kind the report lists. */
    static final int HARDEST = 5;

    /** FMR targets of the report's operating-point table. */
    public static final double[] TARGETS = {1e-1, 1e-2, 1e-3, 1e-4};

    public static ImageEvaluation of(LabelledFaces.Loaded loaded, double threshold) {
        ScoreSet scores = ScoreSet.of(loaded.faces());
        Map<String, LabelledFaces.Face> gallery = new LinkedHashMap<>();
        List<LabelledFaces.Face> probes = new ArrayList<>();
        for (LabelledFaces.Face f : loaded.faces()) {
            if (gallery.putIfAbsent(f.person(), f) != null) {
                probes.add(f);
            }
        }
        int correct = 0;
        int correctAt = 0;
        for (LabelledFaces.Face p : probes) {
            LabelledFaces.Face best = null;
            double bestScore = -2;
            for (LabelledFaces.Face g : gallery.values()) {
                double s = VectorMath.dot(p.embedding(), g.embedding());
                if (s > bestScore) {
                    bestScore = s;
                    best = g;
                }
            }
            if (best != null && best.person().equals(p.person())) {
                correct++;
                if (bestScore >= threshold) {
                    correctAt++;
                }
            }
        }
        Map<Double, double[]> points = new LinkedHashMap<>();
        if (scores.impostorPairs() > 0) {
            for (double target : TARGETS) {
                double t = scores.thresholdForFmr(target);
                points.put(target, new double[] {t, scores.fmr(t), scores.fnmr(t)});
            }
        }
        List<Pair> impostors = new ArrayList<>();
        List<Pair> genuine = new ArrayList<>();
        List<LabelledFaces.Face> all = loaded.faces();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                LabelledFaces.Face a = all.get(i);
                LabelledFaces.Face b = all.get(j);
                Pair pair =
                        new Pair(
                                a.person() + "/" + a.photo(),
                                b.person() + "/" + b.photo(),
                                VectorMath.dot(a.embedding(), b.embedding()));
                (a.person().equals(b.person()) ? genuine : impostors).add(pair);
            }
        }
        impostors.sort(Comparator.comparingDouble(Pair::similarity).reversed());
        genuine.sort(Comparator.comparingDouble(Pair::similarity));
        return new ImageEvaluation(
                loaded.people(),
                loaded.faces().size(),
                loaded.skipped().size(),
                scores,
                threshold,
                scores.fmr(threshold),
                scores.fnmr(threshold),
                probes.size(),
                correct,
                correctAt,
                points,
                List.copyOf(impostors.subList(0, Math.min(HARDEST, impostors.size()))),
                List.copyOf(genuine.subList(0, Math.min(HARDEST, genuine.size()))));
    }
}
