package io.vigil.local.eval;

import io.vigil.index.VectorMath;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.Detection;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs face stacks side by side over the same labelled street-camera frames ({@link FieldScenes})
 * and counts, per stack, degradation and face height: faces placed, found by the detector, usable
 * (found, large enough and through the quality gate, so embedded), identified at rank 1 against the
 * gallery, and genuine and impostor comparisons at the stack's threshold; per frame, detections
 * that match no placed face. Every stack sees exactly the same frames.
 */
public final class FieldEvaluation {

    /** A stack under test: its analyzer, its quality gate and its threshold. */
    public record Stack(String name, FaceAnalyzer analyzer, QualityFilter gate, double threshold) {}

    /** Counts for one face-height bucket. */
    public static final class Counts {
        long placed;
        long found;
        long usable;
        long enrolledPlaced;
        long rank1;
        long genuine;
        long genuineRejected;
        long impostor;
        long impostorAccepted;

        void add(Counts o) {
            placed += o.placed;
            found += o.found;
            usable += o.usable;
            enrolledPlaced += o.enrolledPlaced;
            rank1 += o.rank1;
            genuine += o.genuine;
            genuineRejected += o.genuineRejected;
            impostor += o.impostor;
            impostorAccepted += o.impostorAccepted;
        }

        public double recall() {
            return ratio(found, placed);
        }

        public double usableRate() {
            return ratio(usable, placed);
        }

        /** Enrolled faces identified at rank 1 (found, usable, best gallery hit right). */
        public double rank1Rate() {
            return ratio(rank1, enrolledPlaced);
        }

        /** Usable enrolled faces whose own-gallery score is under the threshold. */
        public double fnmr() {
            return ratio(genuineRejected, genuine);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("placed", placed);
            m.put("found", found);
            m.put("usable", usable);
            m.put("detectionRecall", round(recall()));
            m.put("usableRate", round(usableRate()));
            m.put("enrolledPlaced", enrolledPlaced);
            m.put("rank1", round(rank1Rate()));
            m.put("genuineComparisons", genuine);
            m.put("fnmrAtThreshold", round(fnmr()));
            m.put("impostorComparisons", impostor);
            m.put("impostorsAccepted", impostorAccepted);
            return m;
        }
    }

    /** One stack's results on one degradation. */
    public static final class Result {
        final Map<Integer, Counts> byHeight = new LinkedHashMap<>();
        final List<Double> genuineScores = new ArrayList<>();
        final List<Double> impostorScores = new ArrayList<>();
        long frames;
        long falseDetections;
        long detectNanos;

        Counts at(int height) {
            return byHeight.computeIfAbsent(height, h -> new Counts());
        }

        public Counts bucket(int height) {
            return byHeight.getOrDefault(height, new Counts());
        }

        public double falseDetectionsPerFrame() {
            return ratio(falseDetections, frames);
        }

        public double detectMsPerFrame() {
            return frames == 0 ? 0 : detectNanos / 1e6 / frames;
        }

        /** Every genuine and impostor comparison of a usable face, for FMR-based figures. */
        public io.vigil.watchlist.calibration.ScoreSet scores() {
            return new io.vigil.watchlist.calibration.ScoreSet(
                    genuineScores.stream().mapToDouble(Double::doubleValue).toArray(),
                    impostorScores.stream().mapToDouble(Double::doubleValue).toArray());
        }

        void add(Result o) {
            o.byHeight.forEach((h, c) -> at(h).add(c));
            genuineScores.addAll(o.genuineScores);
            impostorScores.addAll(o.impostorScores);
            frames += o.frames;
            falseDetections += o.falseDetections;
            detectNanos += o.detectNanos;
        }
    }

    private final List<Stack> stacks;
    private final List<RgbImage> backgrounds;
    private final int width;
    private final int height;
    private final int[] heights;
    private final long seed;

    /**
     * @param backgrounds real photos, each scaled to cover {@code width x height}
     * @param heights the face heights, one face of each per frame
     */
    public FieldEvaluation(
            List<Stack> stacks,
            List<RgbImage> backgrounds,
            int width,
            int height,
            int[] heights,
            long seed) {
        if (stacks.isEmpty() || backgrounds.isEmpty() || heights.length == 0) {
            throw new IllegalArgumentException("need stacks, backgrounds and face heights");
        }
        this.stacks = stacks;
        this.backgrounds = new ArrayList<>();
        for (RgbImage b : backgrounds) {
            this.backgrounds.add(FieldScenes.background(b, width, height));
        }
        this.width = width;
        this.height = height;
        this.heights = heights.clone();
        this.seed = seed;
    }

    /**
     * Results by stack name, then degradation name. Each probe face appears once per height per
     * degradation; frame {@code j} holds probe {@code (j + i) mod n} at height {@code i}.
     *
     * @param gallery per stack name, enrolled person to the embedding of their enrolment photo
     */
    public Map<String, Map<String, Result>> run(
            List<FieldScenes.FaceSource> probes,
            Map<String, Map<String, float[]>> gallery,
            List<FieldScenes.Degradation> degradations) {
        Map<String, Map<String, Result>> out = new LinkedHashMap<>();
        for (Stack s : stacks) {
            out.put(s.name(), new LinkedHashMap<>());
        }
        int n = probes.size();
        for (int di = 0; di < degradations.size(); di++) {
            FieldScenes.Degradation d = degradations.get(di);
            for (int j = 0; j < n; j++) {
                Random random = new Random(seed * 1_000_003L + di * 10_007L + j);
                List<FieldScenes.FaceSource> faces = new ArrayList<>(heights.length);
                for (int i = 0; i < heights.length; i++) {
                    faces.add(probes.get((j + i) % n));
                }
                FieldScenes.Scene scene =
                        FieldScenes.compose(
                                backgrounds.get(j % backgrounds.size()), faces, heights, random);
                RgbImage frame = d.apply(scene.frame(), random);
                for (Stack s : stacks) {
                    Result r = out.get(s.name()).computeIfAbsent(d.name(), k -> new Result());
                    evaluate(s, gallery.get(s.name()), scene.faces(), frame, r);
                }
            }
        }
        return out;
    }

    /** All degradations of one stack pooled. */
    public static Result pooled(Map<String, Result> byDegradation) {
        Result all = new Result();
        byDegradation.values().forEach(all::add);
        return all;
    }

    private void evaluate(
            Stack s,
            Map<String, float[]> gallery,
            List<FieldScenes.Placed> placed,
            RgbImage frame,
            Result r) {
        long t0 = System.nanoTime();
        List<Detection> detections = s.analyzer().detectFaces(frame);
        r.detectNanos += System.nanoTime() - t0;
        r.frames++;
        boolean[] used = new boolean[detections.size()];
        for (int i = 0; i < placed.size(); i++) {
            FieldScenes.Placed p = placed.get(i);
            Counts c = r.at(heights[i]);
            String person = p.source().person();
            boolean enrolled = person != null && gallery.containsKey(person);
            c.placed++;
            if (enrolled) {
                c.enrolledPlaced++;
            }
            int hit = match(p.box(), detections, used);
            if (hit < 0) {
                continue;
            }
            used[hit] = true;
            c.found++;
            // Embedded as the job would: large enough and through the gate, else null.
            AnalyzedFace face =
                    s.analyzer().analyzeDetection(frame, detections.get(hit), s.gate()).face();
            if (face == null) {
                continue;
            }
            c.usable++;
            String best = null;
            double bestScore = -2;
            for (Map.Entry<String, float[]> g : gallery.entrySet()) {
                double score = VectorMath.dot(face.embedding(), g.getValue());
                if (score > bestScore) {
                    bestScore = score;
                    best = g.getKey();
                }
                if (g.getKey().equals(person)) {
                    r.genuineScores.add(score);
                    c.genuine++;
                    if (score < s.threshold()) {
                        c.genuineRejected++;
                    }
                } else {
                    r.impostorScores.add(score);
                    c.impostor++;
                    if (score >= s.threshold()) {
                        c.impostorAccepted++;
                    }
                }
            }
            if (enrolled && person.equals(best)) {
                c.rank1++;
            }
        }
        for (boolean u : used) {
            if (!u) {
                r.falseDetections++;
            }
        }
    }

    /**
     * The unused detection that is this face: its centre inside the placed box and its height
     * within a factor of two (detectors draw face boxes differently), the nearest centre first.
     */
    static int match(Box truth, List<Detection> detections, boolean[] used) {
        float tcx = (truth.x1() + truth.x2()) / 2;
        float tcy = (truth.y1() + truth.y2()) / 2;
        int best = -1;
        float bestDist = Float.MAX_VALUE;
        for (int k = 0; k < detections.size(); k++) {
            if (used[k]) {
                continue;
            }
            Box b = detections.get(k).box();
            float cx = (b.x1() + b.x2()) / 2;
            float cy = (b.y1() + b.y2()) / 2;
            boolean inside =
                    cx >= truth.x1() && cx <= truth.x2() && cy >= truth.y1() && cy <= truth.y2();
            float ratio = b.height() / truth.height();
            if (!inside || ratio < 0.5f || ratio > 2f) {
                continue;
            }
            float dist = (cx - tcx) * (cx - tcx) + (cy - tcy) * (cy - tcy);
            if (dist < bestDist) {
                bestDist = dist;
                best = k;
            }
        }
        return best;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int[] heights() {
        return heights.clone();
    }

    static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /** Four decimals, or null (JSON null) for a rate of nothing. */
    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
    }
}
