package io.vigil.local.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.Matcher;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.job.PipelineConfig;
import io.vigil.job.track.AlertSettings;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.model.AssetPaths;
import io.vigil.vision.model.FalseAlertEstimate;
import io.vigil.vision.model.ImpostorSample;
import io.vigil.watchlist.EnrollmentReport;
import io.vigil.watchlist.WatchlistEnroller;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.calibration.Calibration;
import io.vigil.watchlist.calibration.ImageEvaluation;
import io.vigil.watchlist.calibration.LabelledFaces;
import io.vigil.watchlist.calibration.ScoreSet;
import io.vigil.watchlist.reference.ReferenceFaces;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil calibrate} and {@code vigil eval}: the threshold for a target false-match rate, and
 * the accuracy report (verification, identification, alerts on labelled video) with its plot.
 */
public final class EvalCli {
    static final String USAGE =
            """
            usage: vigil calibrate (--images DIR | --sample) [--target-fmr 0.001] [--floor-fmr 0.01]
                                   [--out FILE] [--config FILE] [--set key=value]...
                   vigil eval (--images DIR [--watchlist DIR --videos FILE] | --sample)
                              [--out DIR] [--fps F] [--max-seconds S] [--config FILE]
                              [--set key=value]...
                   vigil eval --field [--size 1920x1080] [--heights 16,24,...]
                              [--degradations all|clean,jpeg-q20,...] [--stacks all|NAME,...]
                              [--max-faces N] [--seed S] [--out DIR] [--set key=value]...

            calibrate: computes genuine and impostor similarity scores over every pair of faces in a
              labelled folder (<person>/<photo>, one face per photo: the largest that passes the
              job's quality gate), picks the lowest threshold whose false-match rate is at most the
              target, and writes it with the false non-match rate it costs and a floor (the
              threshold at --floor-fmr). Use the file with vigil.match.calibration.file.
            eval: prints FMR, FNMR and rank-1 identification at the threshold in force, writes
              report.json and eval.png (score histograms, DET curve) to --out; with --watchlist and
              --videos (lines '<video> <external id or ->') also runs each video through detection,
              matching and track consensus and reports alerts per camera-minute before and after
              consensus and false alerts per hour for people not on the list.
            --sample: the labelled sample set built from the fetched assets.
            --field: the field benchmark. The sample set's faces pasted at street-camera heights
              into real background photos at HD resolution, degraded as street cameras degrade
              them (JPEG, motion and defocus blur, low light, noise, down- then up-scaling), and
              run through several face stacks side by side (ultraface-whole-frame,
              ultraface-tiled, blazeface256-tiled). Per face height and degradation: detection
              recall, usable faces, rank-1, FNMR at the threshold in force; false detections per
              frame and detection cost per frame. Writes report.json and field.png to --out
              (--set applies to every stack).
            """;

    /** The arguments, parsed by picocli as the other commands' are; the usage text is above. */
    @Command(name = "vigil")
    static final class Args {
        @Parameters(index = "0", paramLabel = "calibrate|eval")
        String command;

        @Option(names = "--images", paramLabel = "DIR")
        String images;

        @Option(names = "--sample")
        boolean sample;

        @Option(names = "--field")
        boolean field;

        @Option(names = "--watchlist", paramLabel = "DIR")
        String watchlist;

        @Option(names = "--videos", paramLabel = "FILE")
        String videos;

        @Option(names = "--out", paramLabel = "PATH")
        String out;

        @Option(names = "--config", paramLabel = "FILE")
        String config;

        @Option(names = "--work", paramLabel = "DIR")
        String work;

        @Option(names = "--target-fmr", paramLabel = "FMR")
        String targetFmr;

        @Option(names = "--floor-fmr", paramLabel = "FMR")
        String floorFmr;

        @Option(names = "--fps", paramLabel = "F")
        String fps;

        @Option(names = "--max-seconds", paramLabel = "S")
        String maxSeconds;

        @Option(names = "--size", paramLabel = "WxH")
        String size;

        @Option(names = "--heights", paramLabel = "PX,...")
        String heights;

        @Option(names = "--degradations", paramLabel = "all|NAME,...")
        String degradations;

        @Option(names = "--stacks", paramLabel = "all|NAME,...")
        String stacks;

        @Option(names = "--max-faces", paramLabel = "N")
        String maxFaces;

        @Option(names = "--seed", paramLabel = "S")
        String seed;

        @Option(names = "--set", paramLabel = "KEY=VALUE")
        Map<String, String> overrides = new HashMap<>();

        /** The options given, by name without the dashes, as the commands read them. */
        Map<String, String> options() {
            Map<String, String> m = new HashMap<>();
            put(m, "images", images);
            put(m, "sample", sample ? "true" : null);
            put(m, "field", field ? "true" : null);
            put(m, "watchlist", watchlist);
            put(m, "videos", videos);
            put(m, "out", out);
            put(m, "config", config);
            put(m, "work", work);
            put(m, "target-fmr", targetFmr);
            put(m, "floor-fmr", floorFmr);
            put(m, "fps", fps);
            put(m, "max-seconds", maxSeconds);
            put(m, "size", size);
            put(m, "heights", heights);
            put(m, "degradations", degradations);
            put(m, "stacks", stacks);
            put(m, "max-faces", maxFaces);
            put(m, "seed", seed);
            return m;
        }

        private static void put(Map<String, String> m, String key, String value) {
            if (value != null) {
                m.put(key, value);
            }
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    EvalCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new EvalCli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0
                || java.util.Arrays.asList(args).contains("help")
                || java.util.Arrays.asList(args).contains("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Args parsed = new Args();
        try {
            new CommandLine(parsed).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Map<String, String> opts = parsed.options();
        Map<String, String> overrides = parsed.overrides;
        try {
            return switch (parsed.command) {
                case "calibrate" -> calibrate(opts, overrides);
                case "eval" -> eval(opts, overrides);
                default -> {
                    err.println("unknown command " + parsed.command + "\n" + USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private PipelineConfig config(
            Map<String, String> opts, Map<String, String> overrides, Path work) {
        Map<String, String> o = new HashMap<>();
        o.put(WatchlistSettings.WATCHLIST_INDEX_DIR, work.resolve("index").toString());
        o.putAll(overrides);
        String file = opts.get("config");
        return PipelineConfig.load(file == null ? null : Path.of(file), System.getenv(), o);
    }

    private int calibrate(Map<String, String> opts, Map<String, String> overrides)
            throws Exception {
        double target = Double.parseDouble(opts.getOrDefault("target-fmr", "0.001"));
        double floorFmr = Double.parseDouble(opts.getOrDefault("floor-fmr", "0.01"));
        if (!(target > 0 && target < 1) || !(floorFmr >= target && floorFmr < 1)) {
            throw new IllegalArgumentException(
                    "--target-fmr must be in (0, 1) and --floor-fmr in [target, 1)");
        }
        Path work = Path.of(opts.getOrDefault("work", ".vigil/eval"));
        PipelineConfig config = config(opts, overrides, work);
        try (FaceAnalyzer analyzer =
                new FaceAnalyzer(
                        config.faceModels(),
                        config.detectorSettings(),
                        config.inferenceOptions())) {
            Path images = images(opts, work, analyzer);
            LabelledFaces.Loaded loaded =
                    LabelledFaces.load(analyzer, images, config.matchQualityGate());
            ScoreSet scores = ScoreSet.of(loaded.faces());
            if (scores.genuinePairs() == 0) {
                throw new IllegalArgumentException(
                        "no genuine pairs: at least one person needs two photos");
            }
            double threshold = scores.thresholdForFmr(target);
            double floor = Math.min(threshold, scores.thresholdForFmr(floorFmr));
            Calibration c =
                    new Calibration(
                            analyzer.embedderId(),
                            target,
                            threshold,
                            scores.fmr(threshold),
                            scores.fnmr(threshold),
                            floorFmr,
                            floor,
                            scores.genuinePairs(),
                            scores.impostorPairs(),
                            (int) loaded.people(),
                            loaded.faces().size(),
                            images.toAbsolutePath().toString(),
                            Calibration.impostorTail(scores.impostor(), floor));
            Path file =
                    Path.of(
                            opts.getOrDefault(
                                    "out", "calibration-" + analyzer.embedderId() + ".properties"));
            c.store(file);
            out.printf(
                    Locale.ROOT,
                    "model %s: %d faces of %d people (%d photos skipped), %d genuine and %d"
                            + " impostor pairs%n",
                    c.modelId(),
                    c.faces(),
                    c.people(),
                    loaded.skipped().size(),
                    c.genuinePairs(),
                    c.impostorPairs());
            out.printf(
                    Locale.ROOT,
                    "threshold %s for target FMR %.1e: measured FMR %.2e, FNMR %.4f%n",
                    ScoreSet.format(threshold),
                    target,
                    c.fmrAtThreshold(),
                    c.fnmrAtThreshold());
            out.printf(
                    Locale.ROOT,
                    "floor %s (threshold at FMR %.1e)%n",
                    ScoreSet.format(floor),
                    floorFmr);
            if (target < scores.resolvableFmr()) {
                out.printf(
                        Locale.ROOT,
                        "WARNING: %d impostor pairs cannot resolve an FMR under %.1e; the threshold"
                                + " sits just above the highest impostor score. Calibrate on at"
                                + " least %d impostor pairs for FMR %.0e.%n",
                        scores.impostorPairs(),
                        scores.resolvableFmr(),
                        (long) Math.ceil(3 / target),
                        target);
            }
            out.println("wrote " + file.toAbsolutePath());
            return 0;
        }
    }

    private int eval(Map<String, String> opts, Map<String, String> overrides) throws Exception {
        if (opts.containsKey("field")) {
            Path outDir = Path.of(opts.getOrDefault("out", ".vigil/eval-field"));
            new FieldBenchmark(out)
                    .run(
                            FieldBenchmark.Options.parse(opts),
                            stack -> {
                                Map<String, String> o = new HashMap<>(stack);
                                o.putAll(overrides);
                                return config(opts, o, outDir);
                            },
                            outDir);
            return 0;
        }
        Path outDir = Path.of(opts.getOrDefault("out", ".vigil/eval"));
        Files.createDirectories(outDir);
        PipelineConfig config = config(opts, overrides, outDir);
        double fps = Double.parseDouble(opts.getOrDefault("fps", "2"));
        Map<String, Object> report = new LinkedHashMap<>();
        try (FaceAnalyzer analyzer =
                new FaceAnalyzer(
                        config.faceModels(),
                        config.detectorSettings(),
                        config.inferenceOptions())) {
            boolean sample = opts.containsKey("sample");
            EvalSamples.Paths samplePaths =
                    sample
                            ? EvalSamples.prepare(
                                    AssetPaths.root(), outDir.resolve("sample"), analyzer)
                            : null;
            Path images = sample ? samplePaths.images() : path(opts, "images");
            double threshold = config.matchThreshold();
            LabelledFaces.Loaded loaded =
                    LabelledFaces.load(analyzer, images, config.matchQualityGate());
            ImageEvaluation ie = ImageEvaluation.of(loaded, threshold);
            printImages(ie, analyzer.embedderId());
            Path png = outDir.resolve("eval.png");
            EvalPlot.write(
                    ie.scores(),
                    threshold,
                    "Vigil evaluation: "
                            + analyzer.embedderId()
                            + ", "
                            + ie.faces()
                            + " faces of "
                            + ie.people()
                            + " people",
                    png);
            report.put("model", analyzer.embedderId());
            report.put("threshold", threshold);
            report.put("images", imagesJson(ie, loaded));
            report.put("falseAlerts", falseAlertTable(config, ie.scores()));

            Path watchlist = sample ? samplePaths.watchlist() : optionalPath(opts, "watchlist");
            Path videos = sample ? samplePaths.videos() : optionalPath(opts, "videos");
            if (watchlist != null && videos != null) {
                report.put(
                        "videos",
                        videos(
                                config,
                                analyzer,
                                watchlist,
                                videos,
                                fps,
                                Double.parseDouble(opts.getOrDefault("max-seconds", "0"))));
            }
            Path json = outDir.resolve("report.json");
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), report);
            out.println("wrote " + json.toAbsolutePath() + " and " + png.toAbsolutePath());
            return 0;
        }
    }

    private List<Map<String, Object>> videos(
            PipelineConfig config,
            FaceAnalyzer analyzer,
            Path watchlist,
            Path list,
            double fps,
            double maxSeconds)
            throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            // An offline evaluation on sample data: its enrolments go to the audit logger.
            WatchlistService service =
                    WatchlistService.of(
                            analyzer,
                            index,
                            ReferenceFaces.discarding(),
                            config.watchlistSettings(),
                            AuditLog.logging());
            List<EnrollmentReport> enrolled =
                    new WatchlistEnroller(service)
                            .enrollFolder(
                                    watchlist,
                                    "vigil-eval",
                                    "EVALUATION (no case)",
                                    Instant.now().plus(Duration.ofDays(1)),
                                    QualityFilter.valueOf(
                                            config.watchlistSettings().qualityFilter()),
                                    VideoEvaluation.PURPOSES,
                                    List.of());
            VideoEvaluation eval =
                    new VideoEvaluation(
                            analyzer,
                            new Matcher(index, config.matchPolicy()),
                            config.matchQualityGate(),
                            config.trackingSettings(),
                            config.maxOutOfOrdernessMs(),
                            fps,
                            maxSeconds);
            out.printf(
                    "%nVideos at %.1f fps against a watchlist of %d people (threshold %.3f,"
                            + " consensus %d frames in %d ms):%n",
                    fps,
                    enrolled.stream().filter(r -> r.indexedFaces() > 0).count(),
                    config.matchThreshold(),
                    config.trackingSettings().consensusFrames(),
                    config.trackingSettings().consensusWindowMs());
            out.println(
                    "| video | person | on list | minutes | frames | faces | skipped by gate |"
                            + " matching faces (per-frame alerts) | per camera-minute | alerts"
                            + " after consensus | per camera-minute | wrong alerts | false"
                            + " alerts per hour |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (VideoEvaluation.LabelledVideo v : VideoEvaluation.readList(list)) {
                VideoEvaluation.Result r = eval.run(v);
                long falseAlerts = r.onList() ? r.wrongAlerts() : r.alerts();
                double hours = r.seconds() / 3600.0;
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %s | %.1f | %d | %d | %d | %d | %.1f | %d | %.2f | %d | %.1f"
                                + " |%n",
                        r.video(),
                        r.onList() ? r.label() : "(not enrolled)",
                        r.onList() ? "yes" : "no",
                        r.seconds() / 60,
                        r.frames(),
                        r.faces(),
                        r.skippedFaces(),
                        r.matchingFaces(),
                        r.perMinute(r.matchingFaces()),
                        r.alerts(),
                        r.perMinute(r.alerts()),
                        r.wrongAlerts(),
                        hours <= 0 ? 0 : falseAlerts / hours);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("video", r.video());
                row.put("label", r.label());
                row.put("seconds", r.seconds());
                row.put("frames", r.frames());
                row.put("faces", r.faces());
                row.put("skippedFaces", r.skippedFaces());
                row.put("matchingFaces", r.matchingFaces());
                row.put("wrongMatchingFaces", r.wrongMatchingFaces());
                row.put("matchingFacesPerCameraMinute", r.perMinute(r.matchingFaces()));
                row.put("alerts", r.alerts());
                row.put("alertsPerCameraMinute", r.perMinute(r.alerts()));
                row.put("wrongAlerts", r.wrongAlerts());
                row.put("falseAlertsPerHour", hours <= 0 ? 0 : falseAlerts / hours);
                row.put(
                        "alertRecords",
                        r.alertRecords().stream()
                                .map(
                                        a ->
                                                Map.of(
                                                        "alertId", a.getAlertId(),
                                                        "revision", a.getRevision(),
                                                        "closed", a.getClosed(),
                                                        "externalId", a.getExternalId(),
                                                        "similarity", a.getSimilarity(),
                                                        "supportingFrames", a.getSupportingFrames(),
                                                        "firstSeen", a.getFirstSeen().toString(),
                                                        "lastSeen", a.getLastSeen().toString()))
                                .toList());
                rows.add(row);
            }
        }
        return rows;
    }

    /** Watchlist sizes the false-alert table is worked out for. */
    static final long[] WATCHLIST_SIZES = {100, 1_000, 10_000};

    /**
     * Threshold against FNMR and expected false alerts per camera-hour at several watchlist sizes,
     * from this evaluation's own impostor scores: the threshold in force, the floor, and the
     * thresholds of FMR 1e-1 to 1e-3 on this data.
     */
    private List<Map<String, Object>> falseAlertTable(PipelineConfig config, ScoreSet scores) {
        java.util.TreeSet<Double> thresholds = new java.util.TreeSet<>();
        thresholds.add(config.matchThreshold());
        thresholds.add((double) config.matchPolicy().floor());
        for (double fmr : new double[] {1e-1, 3e-2, 1e-2, 3e-3, 1e-3}) {
            thresholds.add(scores.thresholdForFmr(fmr));
        }
        ImpostorSample sample =
                ImpostorSample.of(scores.impostor(), Math.nextDown(thresholds.first()));
        double people =
                config.alertSettings().getDouble(AlertSettings.ALERT_EXPECTED_PEOPLE_PER_HOUR);
        int frames = config.alertSettings().getInt(AlertSettings.ALERT_EXPECTED_FRAMES_PER_PERSON);
        int consensus = config.trackingSettings().consensusFrames();
        out.printf(
                Locale.ROOT,
                "%nExpected false alerts per camera-hour (%.0f people an hour, %d frames each,"
                        + " consensus %d frames; 95%% upper bound from %d impostor pairs in"
                        + " brackets):%n",
                people,
                frames,
                consensus,
                scores.impostorPairs());
        StringBuilder head = new StringBuilder("| threshold | FNMR | FMR |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (long n : WATCHLIST_SIZES) {
            head.append(String.format(Locale.ROOT, " %,d faces |", n));
            rule.append("---:|");
        }
        out.println(head);
        out.println(rule);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double t : thresholds) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threshold", t);
            row.put("fnmr", scores.fnmr(t));
            row.put("fmr", sample.fmr(t));
            row.put("fmrUpper95", sample.fmrUpper95(t));
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "| %s%s | %.3f | %.1e |",
                                    ScoreSet.format(t),
                                    t == config.matchThreshold()
                                            ? " (in force)"
                                            : t < config.matchPolicy().floor()
                                                    ? " (under the floor)"
                                                    : "",
                                    scores.fnmr(t),
                                    sample.fmr(t)));
            Map<String, Object> bySize = new LinkedHashMap<>();
            for (long n : WATCHLIST_SIZES) {
                FalseAlertEstimate.Result r =
                        FalseAlertEstimate.of(
                                sample,
                                t,
                                new FalseAlertEstimate.Load(n, people, frames, consensus));
                line.append(
                        String.format(
                                Locale.ROOT,
                                " %.3g (%.3g) |",
                                r.falseAlertsPerCameraHour(),
                                r.falseAlertsPerCameraHourUpper95()));
                bySize.put(
                        Long.toString(n),
                        Map.of(
                                "expected", r.falseAlertsPerCameraHour(),
                                "upper95", r.falseAlertsPerCameraHourUpper95(),
                                "ifFramesIndependent", r.falseAlertsPerCameraHourIndependent()));
            }
            row.put("falseAlertsPerCameraHour", bySize);
            out.println(line);
            rows.add(row);
        }
        return rows;
    }

    private void printImages(ImageEvaluation ie, String model) {
        out.printf(
                Locale.ROOT,
                "Images: %d faces of %d people (%d photos without a usable face); %d genuine, %d"
                        + " impostor pairs; model %s%n",
                ie.faces(),
                ie.people(),
                ie.skippedPhotos(),
                ie.scores().genuinePairs(),
                ie.scores().impostorPairs(),
                model);
        out.printf(
                Locale.ROOT,
                "At the threshold in force %.4f: FMR %.2e, FNMR %.4f; rank-1 identification %d/%d"
                        + " (%d/%d also at or above the threshold)%n",
                ie.threshold(),
                ie.fmr(),
                ie.fnmr(),
                ie.rank1Correct(),
                ie.probes(),
                ie.rank1CorrectAtThreshold(),
                ie.probes());
        out.println("| target FMR | threshold | measured FMR | FNMR |");
        out.println("|---|---|---|---|");
        ie.operatingPoints()
                .forEach(
                        (target, p) ->
                                out.printf(
                                        Locale.ROOT,
                                        "| %.0e | %s | %.2e | %.4f |%n",
                                        target,
                                        ScoreSet.format(p[0]),
                                        p[1],
                                        p[2]));
        out.printf(Locale.ROOT, "EER %.4f%n", ie.scores().eer());
        out.printf(
                Locale.ROOT,
                "(%d impostor pairs resolve FMR down to %.1e)%n",
                ie.scores().impostorPairs(),
                ie.scores().resolvableFmr());
        printPairs(
                "Hardest impostor pairs (highest similarity between different people):",
                ie.hardestImpostors());
        printPairs("Hardest genuine pairs (lowest similarity of one person):", ie.hardestGenuine());
    }

    private void printPairs(String title, List<ImageEvaluation.Pair> pairs) {
        out.println(title);
        for (ImageEvaluation.Pair p : pairs) {
            out.printf(Locale.ROOT, "  %.4f %s ~ %s%n", p.similarity(), p.a(), p.b());
        }
    }

    private static Map<String, Object> imagesJson(ImageEvaluation ie, LabelledFaces.Loaded l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("people", ie.people());
        m.put("faces", ie.faces());
        m.put("skippedPhotos", l.skipped());
        m.put("genuinePairs", ie.scores().genuinePairs());
        m.put("impostorPairs", ie.scores().impostorPairs());
        m.put("fmr", ie.fmr());
        m.put("fnmr", ie.fnmr());
        m.put("eer", ie.scores().eer());
        m.put("rank1Probes", ie.probes());
        m.put("rank1Correct", ie.rank1Correct());
        m.put("rank1CorrectAtThreshold", ie.rank1CorrectAtThreshold());
        List<Map<String, Object>> points = new ArrayList<>();
        ie.operatingPoints()
                .forEach(
                        (t, p) ->
                                points.add(
                                        Map.of(
                                                "targetFmr", t,
                                                "threshold", p[0],
                                                "fmr", p[1],
                                                "fnmr", p[2])));
        m.put("operatingPoints", points);
        m.put("hardestImpostorPairs", ie.hardestImpostors());
        m.put("hardestGenuinePairs", ie.hardestGenuine());
        m.put("genuineScores", ie.scores().genuine());
        m.put("impostorScores", ie.scores().impostor());
        return m;
    }

    private Path images(Map<String, String> opts, Path work, FaceAnalyzer analyzer)
            throws Exception {
        if (opts.containsKey("sample")) {
            return EvalSamples.prepare(AssetPaths.root(), work.resolve("sample"), analyzer)
                    .images();
        }
        return path(opts, "images");
    }

    private static Path path(Map<String, String> opts, String name) {
        Path p = optionalPath(opts, name);
        if (p == null) {
            throw new IllegalArgumentException("--" + name + " is required (or --sample)");
        }
        return p;
    }

    private static Path optionalPath(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--" + name + " " + v + " does not exist");
        }
        return p;
    }
}
