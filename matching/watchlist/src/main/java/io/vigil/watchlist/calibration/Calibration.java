package io.vigil.watchlist.calibration;

import io.vigil.vision.model.ImpostorSample;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The similarity threshold of one embedder for a target false-match rate, as measured by {@code
 * vigil calibrate} on a labelled folder, with the false non-match rate it costs there. The floor is
 * the threshold at the loosest false-match rate allowed ({@code floorFmr}); the job never runs
 * below it. The impostor scores near and above the floor are kept, so the job can estimate its
 * false alerts per camera-hour at any threshold it may run at ({@link
 * io.vigil.vision.model.FalseAlertEstimate}).
 */
public record Calibration(
        String modelId,
        double targetFmr,
        double threshold,
        double fmrAtThreshold,
        double fnmrAtThreshold,
        double floorFmr,
        double floor,
        long genuinePairs,
        long impostorPairs,
        int people,
        int faces,
        String source,
        ImpostorSample impostors) {

    public Calibration {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model.id is missing");
        }
        check("target.fmr", targetFmr, 0, 1);
        check("threshold", threshold, -1, 1.0001);
        check("floor", floor, -1, 1.0001);
        if (impostors == null) {
            throw new IllegalArgumentException("impostor.tail is missing");
        }
        if (threshold < floor) {
            throw new IllegalArgumentException(
                    "threshold " + threshold + " is below the floor " + floor);
        }
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be within [" + lo + ", " + hi + "]");
        }
    }

    public static Calibration load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        try {
            return new Calibration(
                    p.getProperty("model.id"),
                    num(p, "target.fmr"),
                    num(p, "threshold"),
                    num(p, "fmr.at.threshold"),
                    num(p, "fnmr.at.threshold"),
                    num(p, "floor.fmr"),
                    num(p, "floor"),
                    (long) num(p, "genuine.pairs"),
                    (long) num(p, "impostor.pairs"),
                    (int) num(p, "people"),
                    (int) num(p, "faces"),
                    p.getProperty("source", ""),
                    new ImpostorSample(
                            (long) num(p, "impostor.pairs"),
                            num(p, "impostor.tail.from"),
                            nums(p, "impostor.tail")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static double num(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }

    private static double[] nums(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing: run vigil calibrate again");
        }
        if (v.isBlank()) {
            return new double[0];
        }
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " has a value that is not a number");
            }
        }
        return out;
    }

    /** The impostor scores a calibration keeps: those within 0.1 under the floor and above. */
    public static ImpostorSample impostorTail(double[] impostorScores, double floor) {
        return ImpostorSample.of(impostorScores, Math.max(-1, floor - 0.1));
    }

    public void store(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Written by `vigil calibrate`. Use with vigil.match.calibration.file.\n");
        line(b, "model.id", modelId);
        line(b, "target.fmr", fmt(targetFmr));
        line(b, "threshold", fmt(threshold));
        line(b, "fmr.at.threshold", fmt(fmrAtThreshold));
        line(b, "fnmr.at.threshold", fmt(fnmrAtThreshold));
        line(b, "floor.fmr", fmt(floorFmr));
        line(b, "floor", fmt(floor));
        line(b, "genuine.pairs", Long.toString(genuinePairs));
        line(b, "impostor.pairs", Long.toString(impostorPairs));
        line(b, "people", Integer.toString(people));
        line(b, "faces", Integer.toString(faces));
        line(b, "source", source);
        line(b, "impostor.tail.from", fmt(impostors.tailFrom()));
        StringBuilder tail = new StringBuilder();
        for (double v : impostors.tail()) {
            tail.append(tail.length() == 0 ? "" : ",").append(fmt(v));
        }
        line(b, "impostor.tail", tail.toString());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(b.toString());
        }
    }

    private static void line(StringBuilder b, String k, String v) {
        b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n');
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
