package io.vigil.local.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.job.PipelineConfig;
import io.vigil.vision.face.AnalyzedFace;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.TileLayout;
import io.vigil.vision.model.AssetPaths;
import io.vigil.watchlist.calibration.ScoreSet;
import io.vigil.watchlist.settings.ModelSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code vigil eval --field}: the field benchmark. Real faces of the labelled sample set, pasted at
 * street-camera heights into real background photos at HD resolution and degraded as street cameras
 * degrade them, run through several face stacks side by side; writes {@code report.json} and {@code
 * field.png} (detection recall against face height, one curve per stack).
 */
public final class FieldBenchmark {

    /**
     * The stacks compared: the whole-frame pass, tiles with two detectors, and the tiled default
     * detector with each other embedder (the default embedder is dlib's).
     */
    static final Map<String, Map<String, String>> STACKS = stacks();

    static final String FACEPLUGIN = "faceplugin-fr_feature-0.0.1";

    static final String DLIB_INT8 = "dlib-resnet-v1-faceapi-1.7.15-int8";

    static final int[] HEIGHTS = {16, 24, 32, 40, 56, 80, 112, 160};

    /** Enrolled persons' probe photos beyond the enrolment photo, at most. */
    static final int PROBES_PER_PERSON = 5;

    private static Map<String, Map<String, String>> stacks() {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put("ultraface-whole-frame", Map.of(ModelSettings.DETECT_TILE_MIN_FACE_PX, "0"));
        s.put("ultraface-tiled", Map.of());
        s.put("blazeface256-tiled", Map.of(ModelSettings.MODEL_DETECTOR, "blazeface-back-256"));
        s.put("ultraface-tiled-faceplugin", Map.of(ModelSettings.MODEL_EMBEDDER, FACEPLUGIN));
        s.put("ultraface-tiled-dlib-int8", Map.of(ModelSettings.MODEL_EMBEDDER, DLIB_INT8));
        s.put(
                "ultraface-tiled-mobilefacenet",
                Map.of(ModelSettings.MODEL_EMBEDDER, "mobilefacenet-tf-human-3.0.4"));
        return s;
    }

    /** What to run: frame size, heights, degradations, stacks and how many probe faces. */
    public record Options(
            int width,
            int height,
            int[] heights,
            List<String> degradations,
            List<String> stacks,
            int maxFaces,
            long seed) {

        static Options parse(Map<String, String> opts) {
            String size = opts.getOrDefault("size", "1920x1080");
            String[] wh = size.toLowerCase(Locale.ROOT).split("x");
            if (wh.length != 2) {
                throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, got " + size);
            }
            int[] heights =
                    opts.containsKey("heights")
                            ? Arrays.stream(opts.get("heights").split(","))
                                    .mapToInt(h -> Integer.parseInt(h.trim()))
                                    .toArray()
                            : HEIGHTS;
            List<String> known =
                    FieldScenes.streetDegradations().stream()
                            .map(FieldScenes.Degradation::name)
                            .toList();
            List<String> degradations = list(opts.get("degradations"), known);
            for (String d : degradations) {
                if (!known.contains(d)) {
                    throw new IllegalArgumentException(
                            "--degradations: unknown " + d + "; known: " + known);
                }
            }
            List<String> stacks = list(opts.get("stacks"), List.copyOf(STACKS.keySet()));
            for (String s : stacks) {
                if (!STACKS.containsKey(s)) {
                    throw new IllegalArgumentException(
                            "--stacks: unknown " + s + "; known: " + STACKS.keySet());
                }
            }
            return new Options(
                    Integer.parseInt(wh[0]),
                    Integer.parseInt(wh[1]),
                    heights,
                    degradations,
                    stacks,
                    Integer.parseInt(opts.getOrDefault("max-faces", "0")),
                    Long.parseLong(opts.getOrDefault("seed", "1")));
        }

        private static List<String> list(String csv, List<String> all) {
            return csv == null || csv.equals("all")
                    ? all
                    : Arrays.stream(csv.split(",")).map(String::trim).toList();
        }
    }

    private final PrintStream out;

    FieldBenchmark(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the benchmark; {@code config} builds each stack's settings from its overrides on top of
     * the user's.
     */
    Map<String, Object> run(
            Options o, Function<Map<String, String>, PipelineConfig> config, Path outDir)
            throws Exception {
        List<FieldEvaluation.Stack> stacks = new ArrayList<>();
        List<FaceAnalyzer> open = new ArrayList<>();
        try {
            Map<String, PipelineConfig> configs = new LinkedHashMap<>();
            for (String name : o.stacks()) {
                PipelineConfig c = config.apply(STACKS.get(name));
                FaceAnalyzer a =
                        new FaceAnalyzer(
                                c.faceModels(), c.detectorSettings(), c.inferenceOptions());
                open.add(a);
                configs.put(name, c);
                stacks.add(
                        new FieldEvaluation.Stack(
                                name, a, c.matchQualityGate(), c.matchThreshold()));
            }
            Path images =
                    EvalSamples.prepare(AssetPaths.root(), outDir.resolve("sample"), open.get(0))
                            .images();
            Sources sources = sources(images, open.get(0), o.maxFaces());
            Map<String, Map<String, float[]>> gallery = new LinkedHashMap<>();
            for (FieldEvaluation.Stack s : stacks) {
                gallery.put(s.name(), enrol(s.analyzer(), sources.enrolment()));
            }
            List<FieldScenes.Degradation> degradations =
                    FieldScenes.streetDegradations().stream()
                            .filter(d -> o.degradations().contains(d.name()))
                            .toList();
            FieldEvaluation eval =
                    new FieldEvaluation(
                            stacks, backgrounds(), o.width(), o.height(), o.heights(), o.seed());
            out.printf(
                    Locale.ROOT,
                    "Field benchmark: %dx%d frames, %d probe faces (%d of %d enrolled people,"
                            + " %d not enrolled), face heights %s px, %d degradations, %d"
                            + " frames per stack%n",
                    o.width(),
                    o.height(),
                    sources.probes().size(),
                    sources.probes().stream().filter(p -> p.person() != null).count(),
                    sources.enrolment().size(),
                    sources.probes().stream().filter(p -> p.person() == null).count(),
                    Arrays.toString(o.heights()),
                    degradations.size(),
                    (long) sources.probes().size() * degradations.size());
            Map<String, Map<String, FieldEvaluation.Result>> results =
                    eval.run(sources.probes(), gallery, degradations);
            Map<String, Object> report = report(o, stacks, configs, results, sources);
            print(o, stacks, results);
            Files.createDirectories(outDir);
            Path png = outDir.resolve("field.png");
            FieldPlot.write(results, o.heights(), o.width() + "x" + o.height(), png);
            Path json = outDir.resolve("report.json");
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), report);
            out.println("wrote " + json.toAbsolutePath() + " and " + png.toAbsolutePath());
            return report;
        } finally {
            open.forEach(FaceAnalyzer::close);
        }
    }

    /** Enrolment photos and probes. */
    record Sources(
            Map<String, FieldScenes.FaceSource> enrolment, List<FieldScenes.FaceSource> probes) {}

    /**
     * From the labelled sample set: each person with two or more photos is enrolled with the first
     * and probed with up to {@link #PROBES_PER_PERSON} others; people with one photo are probes who
     * are not enrolled. Each photo's face is its largest detection.
     */
    static Sources sources(Path images, FaceAnalyzer analyzer, int maxFaces) throws IOException {
        Map<String, FieldScenes.FaceSource> enrolment = new LinkedHashMap<>();
        List<FieldScenes.FaceSource> enrolled = new ArrayList<>();
        List<FieldScenes.FaceSource> strangers = new ArrayList<>();
        List<Path> people;
        try (Stream<Path> s = Files.list(images)) {
            people = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : people) {
            List<FieldScenes.FaceSource> faces = new ArrayList<>();
            List<Path> photos;
            try (Stream<Path> s = Files.list(dir)) {
                photos = s.filter(Files::isRegularFile).sorted().toList();
            }
            String person = dir.getFileName().toString();
            for (Path p : photos) {
                RgbImage img = RgbImage.decode(Files.readAllBytes(p));
                analyzer.detect(img).stream()
                        .max(Comparator.comparingDouble(Box::height))
                        .ifPresent(
                                b ->
                                        faces.add(
                                                new FieldScenes.FaceSource(
                                                        person,
                                                        person + "/" + p.getFileName(),
                                                        img,
                                                        b)));
            }
            if (faces.size() >= 2) {
                enrolment.put(person, faces.get(0));
                enrolled.addAll(faces.subList(1, Math.min(faces.size(), 1 + PROBES_PER_PERSON)));
            } else if (faces.size() == 1) {
                FieldScenes.FaceSource f = faces.get(0);
                strangers.add(new FieldScenes.FaceSource(null, f.name(), f.photo(), f.face()));
            }
        }
        List<FieldScenes.FaceSource> probes = new ArrayList<>();
        // Alternate enrolled and not, so a --max-faces subset keeps both kinds.
        for (int i = 0; i < Math.max(enrolled.size(), strangers.size()); i++) {
            if (i < enrolled.size()) {
                probes.add(enrolled.get(i));
            }
            if (i < strangers.size()) {
                probes.add(strangers.get(i));
            }
        }
        if (maxFaces > 0 && probes.size() > maxFaces) {
            probes = probes.subList(0, maxFaces);
        }
        return new Sources(enrolment, List.copyOf(probes));
    }

    /** Each enrolled person's embedding from their enrolment photo's largest face. */
    private static Map<String, float[]> enrol(
            FaceAnalyzer analyzer, Map<String, FieldScenes.FaceSource> enrolment) {
        Map<String, float[]> gallery = new LinkedHashMap<>();
        enrolment.forEach(
                (person, f) ->
                        analyzer.analyze(f.photo(), QualityFilter.NONE).faces().stream()
                                .max(Comparator.comparingDouble(a -> a.box().height()))
                                .map(AnalyzedFace::embedding)
                                .ifPresent(e -> gallery.put(person, e)));
        return gallery;
    }

    /** The fetched background photos. */
    static List<RgbImage> backgrounds() throws IOException {
        Path dir = AssetPaths.root().resolve("backgrounds");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: run ./vigil fetch-assets");
        }
        List<RgbImage> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                out.add(RgbImage.decode(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private Map<String, Object> report(
            Options o,
            List<FieldEvaluation.Stack> stacks,
            Map<String, PipelineConfig> configs,
            Map<String, Map<String, FieldEvaluation.Result>> results,
            Sources sources) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("frameWidth", o.width());
        report.put("frameHeight", o.height());
        report.put("faceHeights", o.heights());
        report.put("probeFaces", sources.probes().size());
        report.put("enrolledPeople", sources.enrolment().size());
        report.put("seed", o.seed());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FieldEvaluation.Stack s : stacks) {
            PipelineConfig c = configs.get(s.name());
            TileLayout layout = s.analyzer().layout(o.width(), o.height());
            Map<String, FieldEvaluation.Result> byDeg = results.get(s.name());
            FieldEvaluation.Result all = FieldEvaluation.pooled(byDeg);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stack", s.name());
            row.put("settings", STACKS.get(s.name()));
            row.put("detector", c.faceModels().detector().id());
            row.put("embedder", c.faceModels().embedder().id());
            row.put("threshold", s.threshold());
            row.put("detectorRunsPerFrame", layout.runs());
            row.put("wholeFrameMinFace", layout.wholeFrameMinFace());
            row.put("detectMsPerFrame", FieldEvaluation.round(all.detectMsPerFrame()));
            row.put(
                    "falseDetectionsPerFrame",
                    FieldEvaluation.round(all.falseDetectionsPerFrame()));
            row.put("all", buckets(all, o.heights()));
            Map<String, Object> deg = new LinkedHashMap<>();
            byDeg.forEach(
                    (name, r) -> {
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put(
                                "falseDetectionsPerFrame",
                                FieldEvaluation.round(r.falseDetectionsPerFrame()));
                        d.put("byFaceHeight", buckets(r, o.heights()));
                        deg.put(name, d);
                    });
            row.put("byDegradation", deg);
            rows.add(row);
        }
        report.put("stacks", rows);
        return report;
    }

    /** FNMR at FMR 1e-3 and 1e-4 and the EER over every comparison of usable faces. */
    static Map<String, Object> verification(ScoreSet s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("genuinePairs", s.genuinePairs());
        m.put("impostorPairs", s.impostorPairs());
        if (s.genuinePairs() == 0 || s.impostorPairs() == 0) {
            return m;
        }
        for (double fmr : new double[] {1e-3, 1e-4}) {
            double t = s.thresholdForFmr(fmr);
            m.put("fnmrAtFmr" + (fmr == 1e-3 ? "1e-3" : "1e-4"), FieldEvaluation.round(s.fnmr(t)));
        }
        m.put("eer", FieldEvaluation.round(s.eer()));
        m.put("resolvableFmr", s.resolvableFmr());
        return m;
    }

    private static Map<String, Object> buckets(FieldEvaluation.Result r, int[] heights) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int h : heights) {
            m.put(Integer.toString(h), r.bucket(h).json());
        }
        return m;
    }

    private void print(
            Options o,
            List<FieldEvaluation.Stack> stacks,
            Map<String, Map<String, FieldEvaluation.Result>> results) {
        StringBuilder head = new StringBuilder("| stack | metric |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int h : o.heights()) {
            head.append(' ').append(h).append(" px |");
            rule.append("---:|");
        }
        out.println();
        out.println("All degradations pooled:");
        out.println(head);
        out.println(rule);
        for (FieldEvaluation.Stack s : stacks) {
            FieldEvaluation.Result all = FieldEvaluation.pooled(results.get(s.name()));
            row(s.name(), "detection recall", all, o.heights(), FieldEvaluation.Counts::recall);
            row(
                    s.name(),
                    "usable (embedded)",
                    all,
                    o.heights(),
                    FieldEvaluation.Counts::usableRate);
            row(s.name(), "rank-1 (enrolled)", all, o.heights(), FieldEvaluation.Counts::rank1Rate);
            row(s.name(), "FNMR at threshold", all, o.heights(), FieldEvaluation.Counts::fnmr);
        }
        out.println();
        out.println("Detection recall by degradation:");
        out.println(head.toString().replace("| metric |", "| degradation |"));
        out.println(rule);
        for (FieldEvaluation.Stack s : stacks) {
            results.get(s.name())
                    .forEach(
                            (d, r) ->
                                    row(
                                            s.name(),
                                            d,
                                            r,
                                            o.heights(),
                                            FieldEvaluation.Counts::recall));
        }
        out.println();
        out.println(
                "| stack | detector runs per frame | detect ms per frame | false detections per"
                        + " frame | FNMR at FMR 1e-3 / 1e-4 | EER | genuine / impostor pairs |");
        out.println("|---|---:|---:|---:|---|---:|---|");
        for (FieldEvaluation.Stack s : stacks) {
            FieldEvaluation.Result all = FieldEvaluation.pooled(results.get(s.name()));
            Map<String, Object> v = verification(all.scores());
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.2f | %s / %s | %s | %s / %s |%n",
                    s.name(),
                    s.analyzer().layout(o.width(), o.height()).runs(),
                    all.detectMsPerFrame(),
                    all.falseDetectionsPerFrame(),
                    v.getOrDefault("fnmrAtFmr1e-3", "-"),
                    v.getOrDefault("fnmrAtFmr1e-4", "-"),
                    v.getOrDefault("eer", "-"),
                    v.get("genuinePairs"),
                    v.get("impostorPairs"));
        }
    }

    private void row(
            String stack,
            String metric,
            FieldEvaluation.Result r,
            int[] heights,
            java.util.function.ToDoubleFunction<FieldEvaluation.Counts> f) {
        StringBuilder b = new StringBuilder("| " + stack + " | " + metric + " |");
        for (int h : heights) {
            double v = f.applyAsDouble(r.bucket(h));
            b.append(Double.isNaN(v) ? " - |" : String.format(Locale.ROOT, " %.2f |", v));
        }
        out.println(b);
    }
}
